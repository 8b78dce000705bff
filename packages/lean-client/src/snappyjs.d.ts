// snappyjs ships no types. Only what src/codecs.ts uses (and the compressor the tests build
// snappy batches with): index.js `uncompress(compressed, maxLength)` / `compress(uncompressed)`;
// a Buffer in gives a Buffer out, a Uint8Array a Uint8Array.
declare module 'snappyjs' {
  const snappyjs: {
    uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
    compress(uncompressed: Uint8Array): Uint8Array;
  };
  export default snappyjs;
}
