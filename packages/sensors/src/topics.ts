/**
 * MQTT topic scheme: `<prefix>/<area>/sensors/<sensorId>/observations`, e.g.
 * `placetwin/leeds/sensors/leeds-briggate/observations`. One topic per sensor lets the broker's ACLs confine a
 * device to its own topic (mosquitto: `pattern write placetwin/+/sensors/%u/observations`).
 */
export const DEFAULT_TOPIC_PREFIX = 'placetwin';

export const observationTopic = (area: string, sensorId: string, prefix = DEFAULT_TOPIC_PREFIX): string =>
  `${prefix}/${area}/sensors/${sensorId}/observations`;

/** The subscription that receives every sensor's readings. */
export const observationTopicFilter = (prefix = DEFAULT_TOPIC_PREFIX): string =>
  `${prefix}/+/sensors/+/observations`;

/** Area and sensor id of an observation topic, or null when the topic is not one. */
export function parseObservationTopic(
  topic: string,
  prefix = DEFAULT_TOPIC_PREFIX,
): { area: string; sensorId: string } | null {
  const parts = topic.split('/');
  const base = prefix.split('/');
  if (parts.length !== base.length + 4) return null;
  if (base.some((p, i) => parts[i] !== p)) return null;
  const [area, sensors, sensorId, observations] = parts.slice(base.length);
  if (sensors !== 'sensors' || observations !== 'observations' || !area || !sensorId) return null;
  return { area, sensorId };
}
