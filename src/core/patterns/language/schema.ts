import { diagnostic, type Diagnostic } from '../../diagnostics.ts';
import type { PatternPart } from './parse.ts';
import { DEFAULT_TYPE, sameType, typeName, type PlaceholderType } from './types.ts';

/** The type of every placeholder name: one name is one value, so it has one type everywhere. */
export type Schema = ReadonlyMap<string, PlaceholderType>;

/** The type of a name (the default for a name no one declared). */
export function typeOf(schema: Schema, name: string): PlaceholderType {
  return schema.get(name) ?? DEFAULT_TYPE;
}

/** Placeholders somewhere in a text: a key pattern's line, or one argument of a command template. */
export interface SchemaSite {
  line: number;
  parts: readonly PatternPart[];
  /** Editor column of a byte offset used in the parts' `at`/`end`. */
  column(offset: number): number;
}

/**
 * Types for every name, from the first declaration in site order (`<uid:int>`); undeclared names get
 * the default. A later declaration with another type is an error on that placeholder — a pattern
 * cannot mean two kinds of value by one name. Diagnostics carry the index of their site, so a caller
 * that resolves several texts together can show each text its own.
 */
export function resolveSchema(sites: readonly SchemaSite[]): { schema: Schema; diagnostics: { site: number; diagnostic: Diagnostic }[] } {
  const declared = new Map<string, { type: PlaceholderType; line: number }>();
  const diagnostics: { site: number; diagnostic: Diagnostic }[] = [];
  sites.forEach((site, index) => {
    for (const p of site.parts) {
      if (p.kind !== 'ph' || p.type === null) continue;
      const first = declared.get(p.name);
      if (!first) declared.set(p.name, { type: p.type, line: site.line });
      else if (!sameType(first.type, p.type)) {
        const message = `<${p.name}> is ${typeName(first.type)} on line ${first.line}: one name is one value, so it needs the same type (or none) everywhere`;
        diagnostics.push({
          site: index,
          diagnostic: diagnostic('error', 'placeholder-type-conflict', message, site.line, site.column(p.at), site.column(p.end)),
        });
      }
    }
  });
  const schema = new Map<string, PlaceholderType>();
  for (const site of sites) for (const p of site.parts) if (p.kind === 'ph') schema.set(p.name, declared.get(p.name)?.type ?? DEFAULT_TYPE);
  return { schema, diagnostics };
}
