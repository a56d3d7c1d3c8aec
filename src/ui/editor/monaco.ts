// The only module that imports Monaco. Loaded lazily: the first paint needs none of it.
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** The languages of the four inputs: just enough colour to read them at a glance. */
monaco.languages.register({ id: 'slot-keys' });
monaco.languages.setMonarchTokensProvider('slot-keys', {
  tokenizer: {
    root: [
      [/^"/, { token: 'string.quote', next: '@quoted' }],
      [/\{[^{}\n]*\}/, 'type'],
      [/[:/.|_-]/, 'delimiter'],
    ],
    quoted: [
      [/\\(x[0-9a-fA-F]{2}|[nrtab"\\])/, 'string.escape'],
      [/"/, { token: 'string.quote', next: '@pop' }],
      [/[^"\\]+/, 'string'],
    ],
  },
});

monaco.languages.register({ id: 'slot-rules' });
monaco.languages.setMonarchTokensProvider('slot-rules', {
  tokenizer: {
    root: [
      [/\(\?(?:P?<tag>|'tag')/, 'keyword'],
      [/\(\?(?:P?<\w+>|'\w+'|[:=!>|#]|<[=!]|[imsxnU-]+[:)])?/, 'delimiter.parenthesis'],
      [/\)/, 'delimiter.parenthesis'],
      [/\\(?:x\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{0,2}|.)/, 'string.escape'],
      [/\[/, { token: 'string', next: '@class' }],
      [/[*+?]\??|\{\d+(?:,\d*)?\}\??/, 'operator'],
      [/[.^$|]/, 'keyword.operator'],
    ],
    class: [
      [/\\./, 'string.escape'],
      [/\]/, { token: 'string', next: '@pop' }],
      [/[^\]\\]+/, 'string'],
    ],
  },
});

monaco.languages.register({ id: 'slot-commands' });
monaco.languages.setMonarchTokensProvider('slot-commands', {
  ignoreCase: true,
  tokenizer: {
    root: [
      [/^\s*#.*$/, 'comment'],
      [/^\s*[\w.:[\]-]+(?:\[\d+\])?(?:\(TX\))?>\s*/, 'comment'],
      [/^\s*\d+\.\d+ \[[^\]]*\]\s*/, 'comment'],
      [/^\s*(MULTI|EXEC|DISCARD|WATCH)\b/, 'keyword.control'],
      [/^\s*[A-Za-z_][\w.|-]*/, 'keyword'],
      [/"/, { token: 'string.quote', next: '@dq' }],
      [/'/, { token: 'string.quote', next: '@sq' }],
      [/\{[^{}\s]*\}/, 'type'],
    ],
    dq: [
      [/\\./, 'string.escape'],
      [/"/, { token: 'string.quote', next: '@pop' }],
      [/[^"\\]+/, 'string'],
    ],
    sq: [
      [/\\'/, 'string.escape'],
      [/'/, { token: 'string.quote', next: '@pop' }],
      [/[^'\\]+/, 'string'],
    ],
  },
});

monaco.languages.register({ id: 'slot-topology' });
monaco.languages.setMonarchTokensProvider('slot-topology', {
  tokenizer: {
    root: [
      [/\b[0-9a-f]{40}\b/, 'comment'],
      [/\b\d+-\d+\b|\[\d+-[<>]-[0-9a-f]+\]/, 'number'],
      [/\b(master|slave|replica|myself|fail\??|connected)\b/, 'keyword'],
      [/"[^"]*"/, 'string'],
    ],
  },
});

export { monaco };
