// The bundled sample trace (samples/azure-functions-2019-mini at the repository root):
// 100 functions x 1440 minutes of the Azure Functions 2019 day sample; see its README.md.
import { fileURLToPath } from 'node:url';

export const SAMPLE_TRACE_DIR: string = fileURLToPath(new URL('../../../samples/azure-functions-2019-mini/', import.meta.url));
