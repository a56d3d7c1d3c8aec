import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './example.ts';

describe('examples', () => {
  it('the schema-review example is the fixture schema the pattern tests check', () => {
    const ex = EXAMPLES.find((e) => e.name === 'Schema review (key patterns)')!;
    const read = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8').trimEnd();
    expect(ex.inputs.keys).toBe(read('patterns-schema.txt'));
    expect(ex.inputs.commands).toBe(read('pattern-commands.txt'));
  });
});
