/** The release, as package.json says (a test keeps the two equal): reports and `hashslot --version` name it. */
export const VERSION = '0.1.0';

/** Who wrote a report: the same words from the page and from the CLI, so their reports are byte-identical. */
export const GENERATED_BY = `Slot Playground ${VERSION}`;
