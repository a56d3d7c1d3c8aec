// The core is checked without the DOM lib, so that nothing browser-only creeps in. The few globals
// that Node and Web Workers both provide are declared here, as narrowly as the core uses them.
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare const performance: { now(): number };
