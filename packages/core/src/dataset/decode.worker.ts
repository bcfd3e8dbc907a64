// Decode worker entry (Node worker_threads or a browser module Worker): serves decodeWorkerApi.
import { exposeWorkerApi } from '../worker/endpoint.ts';
import { decodeWorkerApi } from './decode-api.ts';

await exposeWorkerApi(decodeWorkerApi);
