/** The result panels, in tab order: one list for the tabs, share links and embeds. */
export const PANEL_IDS = ['keys', 'groups', 'slotmap', 'shards', 'commands', 'patterns', 'migration', 'explain'] as const;
export type Panel = (typeof PANEL_IDS)[number];
