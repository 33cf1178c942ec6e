export { type AlertEvent, type AlertState, breachedThreshold, evaluateAlerts, NO_ALERT } from './alerts';
export { type ByteSource, type CsvRecord, csvRecords } from './csv-stream';
export {
  type Bucket,
  type BucketSeries,
  chooseBucket,
  DOWNSAMPLE_DEFAULTS,
  type DownsampleOptions,
  downsample,
} from './downsample';
export {
  FOOTFALL_DEFAULTS,
  type FootfallReadOptions,
  type FootfallReject,
  type FootfallRow,
  parseFootfallDate,
  readLeedsFootfall,
} from './footfall';
export {
  type AcceptedReading,
  BACKOFF_DEFAULTS,
  type BackoffOptions,
  backoffDelayMs,
  CACHED_DIRECTORY_DEFAULTS,
  type CachedDirectoryOptions,
  CachedSensorDirectory,
  IngestCounters,
  type IngestCountersSnapshot,
  type LiveEvent,
  LiveFeed,
  type ObservationStore,
  type SensorDirectory,
  type StoreResult,
} from './ingest';
export {
  type AlertLevel,
  type DatastreamDefinition,
  type DatastreamRule,
  type Observation,
  QUALITIES,
  type Quality,
  REJECT_REASONS,
  type RejectReason,
  type SensorDefinition,
  type SensorTarget,
  type Threshold,
} from './model';
export {
  MQTT_INGEST_DEFAULTS,
  MqttIngester,
  type MqttIngestLog,
  type MqttIngestOptions,
} from './mqtt-ingest';
export {
  isUnitOf,
  OBSERVED_PROPERTIES,
  type ObservedPropertyDescriptor,
  observedProperty,
  type UnitOfMeasurement,
} from './properties';
export {
  parseSensorList,
  type SensorListFormat,
  type SensorListOptions,
  sensorListCsv,
  sensorListFormatFor,
  sensorListFormats,
  sensorListGeoJson,
} from './sensor-list';
export {
  DEFAULT_TOPIC_PREFIX,
  observationTopic,
  observationTopicFilter,
  parseObservationTopic,
} from './topics';
export {
  AREA_PATTERN,
  checkReading,
  MAX_PAYLOAD_BYTES,
  MAX_READINGS_PER_MESSAGE,
  parseInstant,
  parsePayload,
  READING_CHECK_DEFAULTS,
  type ReadingCheck,
  type ReadingCheckOptions,
  type Rejection,
  SENSOR_ID_PATTERN,
  validateSensorDefinition,
  validateThresholds,
} from './validate';
export {
  type WallTime,
  wallTimeToInstant,
  type ZonedInstant,
  zonedBucketStart,
  zoneOffsetMs,
} from './zoned-time';
