import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { NeuralModelError } from './errors.ts';
import type { NeuralConfig } from './config.ts';

/**
 * Selects and initialises the tfjs backend. tfjs has ONE global backend per process, so all
 * models in a process share it; the last create() wins.
 *
 * - 'tensorflow': @tensorflow/tfjs-node (native libtensorflow). Not a dependency: its install
 *   downloads libtensorflow from outside the registry, which fails offline. Loaded by a dynamic
 *   import when an operator has installed it.
 * - 'wasm': @tensorflow/tfjs-backend-wasm (XNNPACK, single thread under Node; the SIMD binary
 *   when the runtime supports it, which Node 20 does).
 * - 'cpu': pure JavaScript; about 10x slower than wasm here (measured: one GRU training step
 *   ~2.7 s vs ~0.28 s), kept as a last resort.
 * - 'auto': tensorflow, else wasm, else cpu.
 */
export async function selectBackend(want: NeuralConfig['backend']): Promise<string> {
  if (want === 'tensorflow' || want === 'auto') {
    const ok = await tryNode();
    if (ok) return 'tensorflow';
    if (want === 'tensorflow') throw new NeuralModelError('BACKEND_UNAVAILABLE', 'backend=tensorflow: @tensorflow/tfjs-node is not installed or failed to load', { cause: lastNodeError });
  }
  if (want === 'wasm' || want === 'auto') {
    try {
      await useWasm();
      return 'wasm';
    } catch (err) {
      if (want === 'wasm') throw new NeuralModelError('BACKEND_UNAVAILABLE', 'backend=wasm: failed to initialise', { cause: err });
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new NeuralModelError('BACKEND_UNAVAILABLE', 'backend=cpu: failed to initialise');
  await tf.ready();
  return 'cpu';
}

let lastNodeError: unknown;

async function tryNode(): Promise<boolean> {
  // A variable specifier keeps TypeScript and bundlers from requiring the module at build time.
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
    if (!(await tf.setBackend('tensorflow'))) return false;
    await tf.ready();
    return true;
  } catch (err) {
    lastNodeError = err;
    return false;
  }
}

let wasmPathsSet = false;

async function useWasm(): Promise<void> {
  if (!wasmPathsSet) {
    // Point the backend at the .wasm binaries next to its Node entry
    // (node_modules/@tensorflow/tfjs-backend-wasm/dist/). Without it the emscripten loader
    // guesses from its own script location, which breaks once a bundler or a test runner
    // moves the script. Resolving a path is not I/O; the backend reads the file itself.
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${dirname(entry)}/`);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  await tf.ready();
}
