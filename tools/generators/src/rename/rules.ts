/**
 * Where the service's name is a name, and where the same word means the Kubernetes pattern.
 *
 * The template is called "sidecar", and "sidecar" is also what NGINX is in the Pod. So the rename
 * is not a search-and-replace: every whole-word occurrence of the old name is classified by the
 * rules below. A KEEP rule wins (the word is the pattern: "the NGINX sidecar", "native sidecar");
 * otherwise a RENAME rule (the word is the service: `@sidecar/api`, `charts/sidecar`,
 * `sidecar-api:0.1.0`, `"sidecar.fullname"`) replaces it; an occurrence that no rule claims is
 * left alone and reported, so a new kind of use gets a rule instead of a guess.
 *
 * Rules are regular expressions over a file's text, built for the old name (or, for code, spans
 * found in its syntax tree); an occurrence is claimed by a rule when it lies inside one of them.
 */

import * as ts from 'typescript';

export interface Rule {
  /** Why the occurrences this rule claims are (or are not) the service's name. */
  why: string;
  /** Matches spans of text; built with the old name, escaped, and the `g` flag. */
  pattern?: (name: string) => RegExp;
  /** Or finds the spans itself, for what a regular expression cannot see (code structure). */
  find?: (path: string, text: string, name: string) => Array<[number, number]>;
  /** Only in these files (workspace-relative, POSIX); every file when absent. */
  files?: RegExp;
}

/** The word as the Kubernetes pattern (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/). */
export const CONCEPT_WORD = 'sidecar';

// Words before it that make it the pattern ("the sidecar", "an NGINX sidecar", "its own sidecar").
const DETERMINERS =
  '[Tt]he|[Aa]n?|[Oo]ne|[Ii]ts|[Tt]his|[Tt]hat|own|[Ee]ach|[Ee]very|[Yy]our|[Oo]ur|per|[Nn]o|NGINX|reverse-proxy';
// Nouns after the word that make it the service's name ("the sidecar chart" is this chart).
const NAME_NOUNS =
  'chart|API|maintainers|release|namespace|cluster|image|images|project|template|repository|service';

/** Occurrences of the concept word that stay: the Pod pattern, and names that belong to it. */
export const KEEP_RULES: Rule[] = [
  {
    why: "the Kubernetes feature: native sidecar containers, the chart's native-sidecar mode",
    pattern: () => /\b[Nn]ative[ -]sidecar\b/g,
  },
  {
    why: 'the Kubernetes term and its documentation URL (sidecar-containers)',
    pattern: () => /\bsidecar[ -]containers?\b/g,
  },
  {
    why: 'prose about the pattern: "the sidecar", "an NGINX sidecar", "its own sidecar", also across a comment\'s line break',
    pattern: () =>
      new RegExp(`\\b(?:${DETERMINERS})[\\s*#/]+sidecar\\b(?!\\s+(?:${NAME_NOUNS})\\b)`, 'g'),
  },
  {
    why: 'the word describing NGINX\'s role: "sidecar overhead", "sidecar proxy", "sidecar mode"',
    pattern: () => /\bsidecar\s+(?:overhead|proxy|proxies|pattern|modes?|process|container)\b/g,
  },
  { why: 'possessive prose: "the sidecar\'s URL"', pattern: () => /\bsidecar's\b/g },
  {
    why: "NGINX variables and the log format of the sidecar's own config ($sidecar_request_id, sidecar_json): identifiers, where a hyphenated name would not parse",
    pattern: () => /\bsidecar_\w+/g,
  },
  {
    why: "files named for NGINX's role in the Pod: its server config (sidecar.conf.template), the e2e contract at its port (sidecar.spec.ts), a test harness (sidecar.ts)",
    pattern: () => /\bsidecar(?:\.(?:conf|spec|test))?\.(?:template|[cm]?[jt]s)\b/g,
  },
  {
    why: "NGINX's internal location for its error pages (/.sidecar/problem)",
    pattern: () => /\/\.sidecar\//g,
  },
  {
    why: 'the benchmark\'s variant that goes through NGINX (next to "direct" and "static"): a key of its result types',
    files: /^tools\/bench\//,
    pattern: () => /(['"`])sidecar(?=\1|,)/g,
  },
  {
    why: 'a chart keyword: the pattern the chart implements, for Artifact Hub searches',
    files: /(^|\/)Chart\.yaml$/,
    pattern: () => /^\s*- sidecar$/gm,
  },
];

/**
 * Identifiers in TypeScript and JavaScript code (`const sidecar = ...`, `accessLog(sidecar)`,
 * `o.saturated.sidecar`) are symbols, not the service's name, and a hyphenated new name would not
 * parse: they always keep their name. Strings and comments in the same files follow the rules.
 */
export const CODE_IDENTIFIERS: Rule = {
  why: 'an identifier in TypeScript or JavaScript code',
  files: /\.(?:[cm]?[jt]s|tsx|jsx)$/,
  find: (path, text, name) => {
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const found: Array<[number, number]> = [];
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && node.text === name)
        found.push([node.getStart(source), node.end]);
      // A relative import names a file (./harness/sidecar), and files keep their names; only a
      // directory on the way (../charts/sidecar/...) follows the path rules.
      if (ts.isStringLiteralLike(node) && node.text.startsWith('.') && isModuleSpecifier(node)) {
        found.push([node.getStart(source) + 1 + node.text.lastIndexOf('/') + 1, node.end]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  },
};

function isModuleSpecifier(node: ts.StringLiteralLike): boolean {
  const parent = node.parent;
  if (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent)
  )
    return true;
  if (!ts.isCallExpression(parent)) return false;
  const callee = parent.expression.getText();
  return (
    ['require', 'import', 'jest.mock', 'jest.requireActual'].includes(callee) ||
    parent.expression.kind === ts.SyntaxKind.ImportKeyword
  );
}

/** Occurrences of the old name that are the service's name and take the new one. */
export const RENAME_RULES: Rule[] = [
  {
    why: 'npm scope of the workspace packages (@sidecar/api)',
    pattern: (n) => new RegExp(`@${n}/`, 'g'),
  },
  {
    why: 'a directory in a path: the chart (charts/sidecar/...), the Go module (sidecar.local/...), a mount (/var/run/secrets/sidecar/tokens)',
    pattern: (n) => new RegExp(`(?<![\\w.-])${n}/`, 'g'),
  },
  {
    why: "the chart's directory and the tokens' mount directory named without a trailing slash (charts/sidecar, /var/run/secrets/sidecar)",
    pattern: (n) => new RegExp(`\\b(?:charts|secrets)/${n}(?![\\w.-])`, 'g'),
  },
  {
    why: 'hyphenated names: images (sidecar-api), Secrets (sidecar-api-tokens), temp-dir and container prefixes, release-prefixed names (spec-sidecar, ct-sidecar)',
    pattern: (n) => new RegExp(`\\b${n}-[a-z0-9]|\\S-${n}\\b`, 'g'),
  },
  {
    why: 'dotted names: Helm helpers ("sidecar.fullname"), hostnames (sidecar.example.com), the Go module domain (sidecar.local), label and annotation domains',
    // Up to two backslashes: a dot escaped for `helm --set`, inside a TypeScript string.
    pattern: (n) => new RegExp(`\\b${n}(?:\\\\{0,2})\\.[a-z]`, 'g'),
  },
  {
    why: 'a whole quoted string: package names, defaults, test expectations',
    pattern: (n) => new RegExp(`(['"\`])${n}\\1`, 'g'),
  },
  {
    why: 'YAML name fields: Chart.yaml name, maintainers, app.kubernetes.io/part-of, a CI cluster_name',
    pattern: (n) => new RegExp(`[\\w-]*(?:name|Name|part-of|namespace|release):\\s+${n}\\b`, 'g'),
  },
  {
    why: 'a shell default (${KIND_CLUSTER:-sidecar})',
    pattern: (n) => new RegExp(`:-${n}\\b`, 'g'),
  },
  {
    why: 'a value after "=": label selectors, environment assignments (cluster=sidecar, KIND_CLUSTER=sidecar)',
    pattern: (n) => new RegExp(`=${n}\\b`, 'g'),
  },
  {
    why: 'release, namespace and cluster names on a command line or in its description (helm install sidecar, --namespace sidecar, (default sidecar))',
    pattern: (n) =>
      new RegExp(
        `(?:\\b(?:template|install|upgrade|uninstall|test|default|cluster)|--namespace|--name|\\s-n)\\s+${n}\\b`,
        'g',
      ),
  },
  {
    why: 'the service named before a noun: "sidecar chart", "sidecar API"',
    pattern: (n) => new RegExp(`\\b${n}\\s+(?:${NAME_NOUNS})\\b`, 'g'),
  },
  {
    why: "a message or chart title that starts with the name ('sidecar: make bench')",
    pattern: (n) => new RegExp(`(['"\`])${n}:\\s`, 'g'),
  },
  {
    why: 'a document title (# sidecar, <title>sidecar</title>)',
    pattern: (n) => new RegExp(`^#\\s+${n}$|>${n}<`, 'gm'),
  },
];

export interface Occurrence {
  line: number;
  text: string;
}

export interface RenameResult {
  text: string;
  renamed: number;
  /** Occurrences no rule claims: left unchanged, for a person to classify. */
  unclassified: Occurrence[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** [start, end) spans of every match of the rules that apply to the file. */
function spans(rules: Rule[], name: string, path: string, text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const rule of rules) {
    if (rule.files && !rule.files.test(path)) continue;
    if (rule.find) found.push(...rule.find(path, text, name));
    if (!rule.pattern) continue;
    for (const match of text.matchAll(rule.pattern(escapeRegExp(name)))) {
      found.push([match.index, match.index + match[0].length]);
    }
  }
  return found;
}

/** Start offsets of the whole-word occurrences of the name (`sidecars`, `nativeSidecar` are other words). */
export function occurrences(name: string, text: string): number[] {
  const word = new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(name)}(?![A-Za-z0-9])`, 'g');
  return [...text.matchAll(word)].map((match) => match.index);
}

const inside = (spanList: Array<[number, number]>, start: number, length: number) =>
  spanList.some(([from, to]) => start >= from && start + length <= to);

function lineOf(text: string, offset: number): Occurrence {
  const line = text.slice(0, offset).split('\n').length;
  return { line, text: text.split('\n')[line - 1]?.trim() ?? '' };
}

/** Occurrences of the concept word that a KEEP rule claims, as the rename leaves them. */
export function keptOccurrences(path: string, text: string): Set<number> {
  const keep = spans(keepRules(CONCEPT_WORD, 'text'), CONCEPT_WORD, path, text);
  return new Set(
    occurrences(CONCEPT_WORD, text).filter((start) => inside(keep, start, CONCEPT_WORD.length)),
  );
}

/**
 * KEEP rules describe the concept word: they only ever claim an old name that is that word. Code
 * identifiers keep their name whatever it is; a path is not code.
 */
function keepRules(oldName: string, kind: 'text' | 'path'): Rule[] {
  return [
    ...(oldName === CONCEPT_WORD ? KEEP_RULES : []),
    ...(kind === 'text' ? [CODE_IDENTIFIERS] : []),
  ];
}

/** Renames the service in a file's path (workspace-relative, POSIX), by the rules above. */
export function renamePath(path: string, oldName: string, newName: string): RenameResult {
  return rename(path, path, oldName, newName, 'path');
}

/** Renames the service in one file's text, by the rules above. */
export function renameInText(
  path: string,
  text: string,
  oldName: string,
  newName: string,
): RenameResult {
  return rename(path, text, oldName, newName, 'text');
}

function rename(
  path: string,
  text: string,
  oldName: string,
  newName: string,
  kind: 'text' | 'path',
): RenameResult {
  const starts = occurrences(oldName, text);
  if (starts.length === 0) return { text, renamed: 0, unclassified: [] };
  const keep = spans(keepRules(oldName, kind), oldName, path, text);
  const rename = spans(RENAME_RULES, oldName, path, text);
  const unclassified: Occurrence[] = [];
  let result = '';
  let last = 0;
  let renamed = 0;
  for (const start of starts) {
    if (inside(keep, start, oldName.length)) continue;
    if (inside(rename, start, oldName.length)) {
      result += text.slice(last, start) + newName;
      last = start + oldName.length;
      renamed++;
    } else {
      unclassified.push(lineOf(text, start));
    }
  }
  return { text: result + text.slice(last), renamed, unclassified };
}
