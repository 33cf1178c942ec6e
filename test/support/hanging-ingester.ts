/**
 * An MQTT ingester whose database never answers, run as a child process by the ingest tests and then killed
 * (SIGKILL): what it received it never stored, so it must never have acknowledged it either.
 * Usage: node --import tsx test/support/hanging-ingester.ts <brokerUrl> <clientId> <expectedReadings>
 * Prints `ready` once subscribed and `received` once it holds that many readings.
 */
import { MqttIngester } from '@placetwin/sensors';

const [url, clientId, expected] = process.argv.slice(2);
const ingester = new MqttIngester({
  url,
  clientId,
  directory: {
    lookup: async (sensorId) => ({
      sensorId,
      area: 'leeds',
      datastreams: [
        {
          id: 1,
          property: 'footfall',
          unitSymbol: '{count}/h',
          minValue: 0,
          maxValue: 100_000,
          thresholds: [],
        },
      ],
    }),
  },
  store: { store: () => new Promise(() => {}) },
});
ingester.start();
let said = '';
const say = (line: string) => {
  if (said === line) return;
  said = line;
  process.stdout.write(`${line}\n`);
};
let connectedAt = 0;
setInterval(() => {
  if (ingester.connected && !connectedAt) connectedAt = Date.now();
  if (connectedAt && Date.now() - connectedAt > 500 && !said) say('ready');
  if (ingester.stats().counters.received >= Number(expected)) say('received');
}, 50);
