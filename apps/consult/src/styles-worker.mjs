// Compiles the site's stylesheet (GOV.UK Frontend's Sass with our settings) off the main thread: dart-sass in
// JavaScript takes seconds, which must not stall the server's other requests.
import { parentPort, workerData } from 'node:worker_threads';
import { compileString } from 'sass';

const { source, loadPaths } = workerData;
const result = compileString(source, { loadPaths, style: 'compressed', quietDeps: true });
parentPort.postMessage(result.css);
