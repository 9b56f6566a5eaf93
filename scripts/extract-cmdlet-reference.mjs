#!/usr/bin/env node
// Extracts the real cmdlet surface that DDA Studio drives (Hyper-V, PnpDevice, CimCmdlets and the 5.1-only
// Get-WmiObject) from Microsoft's PlatyPS markdown and writes main/simulator/reference/cmdlets.json.
//
//   node scripts/extract-cmdlet-reference.mjs [--windows-docs <gitdir>] [--ps-docs <gitdir>]
//        [--windows-docs-rev <rev>] [--ps-docs-rev <rev>] [--out <file>] [--check]
//        [--windows-docsets winserver2022-ps,winserver2025-ps] [--ps-docsets 5.1,7.6]
//   node scripts/extract-cmdlet-reference.mjs <windows-docs gitdir> [<ps-docs gitdir>]
//
// The sources are git directories (bare mirrors are fine): MicrosoftDocs/windows-powershell-docs and
// MicrosoftDocs/PowerShell-Docs. Files are read with `git show <commit>:<path>`, never from a work tree, so
// the output names the exact commit it came from. Plain Node, no dependencies; the output is deterministic
// (same commits in, same bytes out). --check writes nothing and exits 1 when the file on disk differs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = relative(REPO_ROOT, fileURLToPath(import.meta.url))
  .split('\\')
  .join('/');
const DEFAULT_OUT = join(REPO_ROOT, 'main', 'simulator', 'reference', 'cmdlets.json');

const WINDOWS_DOCS = {
  repository: 'MicrosoftDocs/windows-powershell-docs',
  defaultGitDir: '/work/.mirror/MicrosoftDocs+windows-powershell-docs/repo',
  // docset key -> folder under the repository root
  docsets: [
    { key: 'winserver2022-ps', root: 'docset/winserver2022-ps' },
    { key: 'winserver2025-ps', root: 'docset/winserver2025-ps' },
  ],
};
const PS_DOCS = {
  repository: 'MicrosoftDocs/PowerShell-Docs',
  defaultGitDir: '/work/.mirror/MicrosoftDocs+PowerShell-Docs/repo',
  docsets: [
    { key: 'powershell-5.1', root: 'reference/5.1' },
    { key: 'powershell-7.6', root: 'reference/7.6' },
  ],
};

/** The cmdlets DDA Studio uses. `docsets` limits a cmdlet to some of its source's docsets. */
const CMDLETS = [
  ...[
    'Get-VM',
    'Set-VM',
    'Start-VM',
    'Stop-VM',
    'Set-VMMemory',
    'Get-VMHost',
    'Get-VMAssignableDevice',
    'Add-VMAssignableDevice',
    'Remove-VMAssignableDevice',
    'Get-VMHostAssignableDevice',
    'Dismount-VMHostAssignableDevice',
    'Mount-VMHostAssignableDevice',
    'Remove-VMSavedState',
    'Get-VMSwitch',
    'Get-VMNetworkAdapter',
  ].map((name) => ({ name, source: 'windows', folder: 'Hyper-V' })),
  ...['Get-PnpDevice', 'Get-PnpDeviceProperty', 'Disable-PnpDevice', 'Enable-PnpDevice'].map((name) => ({
    name,
    source: 'windows',
    folder: 'PnpDevice',
  })),
  // The host's lifelines: which NIC carries which IP / vSwitch, which controller holds which disk.
  { name: 'Get-NetAdapter', source: 'windows', folder: 'NetAdapter' },
  { name: 'Get-NetIPAddress', source: 'windows', folder: 'NetTCPIP' },
  ...['Get-Disk', 'Get-Partition'].map((name) => ({ name, source: 'windows', folder: 'Storage' })),
  { name: 'Get-CimInstance', source: 'ps', folder: 'CimCmdlets' },
  { name: 'Invoke-CimMethod', source: 'ps', folder: 'CimCmdlets' },
  // Start failures the admin saw: the Microsoft-Windows-Hyper-V-Worker-Admin event log (issue 18).
  { name: 'Get-WinEvent', source: 'ps', folder: 'Microsoft.PowerShell.Diagnostics' },
  // Get-WmiObject does not exist in PowerShell 6+; only the 5.1 reference documents it.
  { name: 'Get-WmiObject', source: 'ps', folder: 'Microsoft.PowerShell.Management', docsets: ['powershell-5.1'] },
];

/** Types the docs spell short whose full names are fixed by .NET / PowerShell / MI. */
const KNOWN_TYPES = {
  Boolean: 'System.Boolean',
  Byte: 'System.Byte',
  Guid: 'System.Guid',
  Int16: 'System.Int16',
  Int32: 'System.Int32',
  Int64: 'System.Int64',
  Object: 'System.Object',
  String: 'System.String',
  UInt16: 'System.UInt16',
  UInt32: 'System.UInt32',
  UInt64: 'System.UInt64',
  Uri: 'System.Uri',
  DateTime: 'System.DateTime',
  TimeSpan: 'System.TimeSpan',
  SwitchParameter: 'System.Management.Automation.SwitchParameter',
  PSCredential: 'System.Management.Automation.PSCredential',
  PSObject: 'System.Management.Automation.PSObject',
  ScriptBlock: 'System.Management.Automation.ScriptBlock',
  CimSession: 'Microsoft.Management.Infrastructure.CimSession',
  CimInstance: 'Microsoft.Management.Infrastructure.CimInstance',
};
/** Module whose own (non-System) types are assumed to live in this namespace when no doc names them. */
const MODULE_NAMESPACES = { 'Hyper-V': 'Microsoft.HyperV.PowerShell' };
const SHOULD_PROCESS = new Set(['WhatIf', 'Confirm']);

// ---------------------------------------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = {
    windowsDocs: null,
    psDocs: null,
    windowsRev: 'HEAD',
    psRev: 'HEAD',
    out: DEFAULT_OUT,
    check: false,
    windowsDocsets: null,
    psDocsets: null,
  };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--windows-docs') opts.windowsDocs = value();
    else if (a === '--ps-docs') opts.psDocs = value();
    else if (a === '--windows-docs-rev') opts.windowsRev = value();
    else if (a === '--ps-docs-rev') opts.psRev = value();
    else if (a === '--out') opts.out = resolve(value());
    else if (a === '--check') opts.check = true;
    else if (a === '--windows-docsets') opts.windowsDocsets = splitList(value());
    else if (a === '--ps-docsets') opts.psDocsets = splitList(value());
    else if (a === '-h' || a === '--help') {
      const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .slice(1);
      const header = lines.slice(
        0,
        lines.findIndex((l) => !l.startsWith('//')),
      );
      process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 2) fail('at most two positional arguments: <windows-docs gitdir> <ps-docs gitdir>');
  opts.windowsDocs ??= positional[0] ?? WINDOWS_DOCS.defaultGitDir;
  opts.psDocs ??= positional[1] ?? PS_DOCS.defaultGitDir;
  return opts;
}

function fail(message) {
  process.stderr.write(`extract-cmdlet-reference: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------- git

function git(gitDir, args, input) {
  try {
    return execFileSync('git', ['-C', gitDir, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    fail(`git -C ${gitDir} ${args.join(' ')} failed: ${(e.stderr || e.message || '').toString().trim()}`);
  }
  return '';
}

/** Docset keys `winserver2019-ps` or `5.1`/`powershell-7.5` -> { key, root }. */
function docsetsFor(spec, names) {
  if (!names) return spec.docsets;
  return names.map((n) => {
    if (spec === PS_DOCS) {
      const v = n.replace(/^powershell-/, '');
      return { key: `powershell-${v}`, root: `reference/${v}` };
    }
    return { key: n, root: `docset/${n}` };
  });
}

function openSource(spec, gitDir, rev, docsetNames) {
  if (!existsSync(gitDir)) fail(`git directory not found: ${gitDir}`);
  const commit = git(gitDir, ['rev-parse', '--verify', `${rev}^{commit}`]).trim();
  const commitDate = git(gitDir, ['log', '-1', '--format=%cI', commit]).trim();
  return { ...spec, docsets: docsetsFor(spec, docsetNames), gitDir, commit, commitDate, listCache: new Map() };
}

/** Names directly under `dir` at the source's commit. */
function listDir(src, dir) {
  if (!src.listCache.has(dir)) {
    const out = git(src.gitDir, ['ls-tree', '--name-only', `${src.commit}:${dir}`]);
    src.listCache.set(dir, out.split('\n').filter(Boolean));
  }
  return src.listCache.get(dir);
}

/** Case-insensitive lookup of a child (the docsets spell `Hyper-V`, `hyper-v`, file names vary in case). */
function findChild(src, dir, name) {
  const names = listDir(src, dir);
  return names.find((n) => n === name) ?? names.find((n) => n.toLowerCase() === name.toLowerCase()) ?? null;
}

function showFile(src, path) {
  return git(src.gitDir, ['show', `${src.commit}:${path}`]);
}

/** Reads many blobs with one `git cat-file --batch`; returns Map path -> text. */
function showFiles(src, paths) {
  const result = new Map();
  if (paths.length === 0) return result;
  const buf = execFileSync('git', ['-C', src.gitDir, 'cat-file', '--batch'], {
    input: paths.map((p) => `${src.commit}:${p}`).join('\n') + '\n',
    maxBuffer: 512 * 1024 * 1024,
  });
  let pos = 0;
  for (const p of paths) {
    const nl = buf.indexOf(0x0a, pos);
    const header = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!m) continue; // "missing" or a tree: nothing to read
    const size = Number(m[1]);
    result.set(p, buf.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return result;
}

// ----------------------------------------------------------------------------------------------- markdown

/** Splits PlatyPS markdown into front matter and a flat list of headings, code blocks and text lines. */
function tokenize(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const front = {};
  let i = 0;
  if (lines[0] === '---') {
    for (i = 1; i < lines.length && lines[i] !== '---'; i++) {
      const m = /^([A-Za-z][\w .-]*):\s*(.*)$/.exec(lines[i]);
      if (m) front[m[1]] = m[2].trim();
    }
    i++;
  }
  const tokens = [];
  for (; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(`{3,})\s*([\w-]*)/.exec(line);
    if (fence) {
      const body = [];
      for (i++; i < lines.length && !lines[i].startsWith(fence[1]); i++) body.push(lines[i]);
      tokens.push({ kind: 'code', lang: fence[2].toLowerCase(), lines: body });
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) tokens.push({ kind: 'heading', level: h[1].length, text: h[2] });
    else if (line.trim()) tokens.push({ kind: 'text', text: line });
  }
  return { front, tokens };
}

/** Tokens of the `## title` section (case-insensitive), or null when absent. */
function section(tokens, title) {
  const start = tokens.findIndex((t) => t.kind === 'heading' && t.level === 2 && t.text.toUpperCase() === title);
  if (start < 0) return null;
  const end = tokens.findIndex((t, j) => j > start && t.kind === 'heading' && t.level <= 2);
  return tokens.slice(start + 1, end < 0 ? tokens.length : end);
}

/** Groups a section by its `###` headings: [{ title, tokens }], with title null for anything before the first. */
function subsections(tokens) {
  const groups = [];
  let cur = { title: null, tokens: [] };
  for (const t of tokens) {
    if (t.kind === 'heading' && t.level === 3) {
      if (cur.title !== null || cur.tokens.length) groups.push(cur);
      cur = { title: t.text, tokens: [] };
    } else cur.tokens.push(t);
  }
  if (cur.title !== null || cur.tokens.length) groups.push(cur);
  return groups;
}

// ------------------------------------------------------------------------------------------------- syntax

const SYNTAX_TOKEN = new RegExp(
  [
    String.raw`\[\[-(?<optPosName>\w+)\]\s*<(?<optPosType>[^>]+)>\]`, // [[-Name] <Type>]   optional, positional
    String.raw`\[-(?<manPosName>\w+)\]\s*<(?<manPosType>[^>]+)>`, //     [-Name] <Type>     mandatory, positional
    String.raw`\[-(?<optName>\w+)\s+<(?<optType>[^>]+)>\]`, //           [-Name <Type>]     optional, named
    String.raw`\[-(?<optSwitch>\w+)\]`, //                               [-Switch]          optional switch
    String.raw`-(?<manName>\w+)\s+<(?<manType>[^>]+)>`, //               -Name <Type>       mandatory, named
    String.raw`-(?<manSwitch>\w+)`, //                                   -Switch            mandatory switch
    String.raw`\[?<CommonParameters>\]?`,
  ].join('|'),
  'g',
);

/** Parses one SYNTAX code block: the cmdlet name and its parameters in order. */
function parseSyntaxBlock(lines) {
  const text = lines.join(' ').replace(/\s+/g, ' ').trim();
  const first = /^(\S+)\s*/.exec(text);
  const command = first ? first[1] : '';
  const rest = text.slice(first ? first[0].length : 0);
  const params = [];
  let leftover = '';
  let last = 0;
  let positional = 0;
  for (const m of rest.matchAll(SYNTAX_TOKEN)) {
    leftover += rest.slice(last, m.index);
    last = m.index + m[0].length;
    const g = m.groups;
    const add = (name, type, mandatory, isPositional) =>
      params.push({
        name,
        type: type ?? null,
        mandatory,
        positional: isPositional,
        order: isPositional ? positional++ : null,
      });
    if (g.optPosName) add(g.optPosName, g.optPosType, false, true);
    else if (g.manPosName) add(g.manPosName, g.manPosType, true, true);
    else if (g.optName) add(g.optName, g.optType, false, false);
    else if (g.optSwitch) add(g.optSwitch, null, false, false);
    else if (g.manName) add(g.manName, g.manType, true, false);
    else if (g.manSwitch) add(g.manSwitch, null, true, false);
  }
  leftover += rest.slice(last);
  return { command, params, leftover: leftover.trim() };
}

// ------------------------------------------------------------------------------------------------- params

const YAML_KEYS = new Set([
  'Type',
  'Parameter Sets',
  'Aliases',
  'Accepted values',
  'Required',
  'Position',
  'Default value',
  'Accept pipeline input',
  'Accept wildcard characters',
  'Applicable',
]);

function parseYaml(lines) {
  const out = {};
  const unknown = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (!m) {
      unknown.push(line.trim());
      continue;
    }
    const key = m[1].trim();
    if (!YAML_KEYS.has(key)) unknown.push(key);
    out[key] = m[2].trim();
  }
  return { fields: out, unknown };
}

const splitList = (s) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * A per-set value such as `True (ResourceUriSessionSet, ResourceUriComputerSet), False (QuerySessionSet)`.
 * Returns Map set -> raw value, or null when the text is a single plain value.
 */
function perSetValues(raw) {
  const re = /(\w+)\s*\(([^)]*)\)/g;
  const map = new Map();
  for (const m of raw.matchAll(re)) {
    for (const s of splitList(m[2])) map.set(s, m[1]);
  }
  const rest = raw.replace(re, '').replace(/[\s,]/g, '');
  return map.size && !rest ? map : null;
}

function parseBool(raw) {
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  return undefined;
}

function parsePosition(raw) {
  if (/^named$/i.test(raw)) return null;
  if (/^\d+$/.test(raw)) return Number(raw);
  return undefined;
}

function parsePipeline(raw) {
  if (/^false$/i.test(raw)) return { byValue: false, byPropertyName: false };
  const m = /^true\s*\(([^)]*)\)$/i.exec(raw);
  if (!m) return undefined;
  const kinds = splitList(m[1]).map((k) => k.toLowerCase());
  if (kinds.some((k) => k !== 'byvalue' && k !== 'bypropertyname')) return undefined;
  return { byValue: kinds.includes('byvalue'), byPropertyName: kinds.includes('bypropertyname') };
}

// ------------------------------------------------------------------------------------------------- one doc

/** Parses one cmdlet markdown file into its per-docset model plus the notes found while parsing it. */
function parseCmdletDoc(text, cmdletName) {
  const { front, tokens } = tokenize(text);
  const notes = [];
  const note = (kind, message, extra = {}) => notes.push({ kind, message, ...extra });

  // SYNTAX
  const sets = []; // { name, isDefault, params }
  const syntax = section(tokens, 'SYNTAX');
  if (!syntax) note('syntax-missing', 'The doc has no SYNTAX section.');
  for (const sub of subsections(syntax ?? [])) {
    const blocks = sub.tokens.filter((t) => t.kind === 'code');
    if (!blocks.length) continue;
    let name = sub.title;
    let isDefault = false;
    if (name !== null) {
      const d = /^(.*?)\s*\(Default\)$/i.exec(name);
      if (d) {
        name = d[1];
        isDefault = true;
      }
    }
    const params = [];
    for (const b of blocks) {
      const parsed = parseSyntaxBlock(b.lines);
      if (parsed.command.toLowerCase() !== cmdletName.toLowerCase()) {
        note(
          'syntax-command-name',
          `SYNTAX block${name ? ` of set ${name}` : ''} starts with "${parsed.command}", not ${cmdletName}.`,
        );
      }
      if (parsed.leftover)
        note('syntax-unparsed', `Unparsed SYNTAX text${name ? ` in set ${name}` : ''}: "${parsed.leftover}".`);
      params.push(...parsed.params);
    }
    sets.push({ name, isDefault, params });
  }
  const unnamed = sets.filter((s) => s.name === null);
  if (unnamed.length && sets.length > 1)
    note('syntax-unnamed-set', 'SYNTAX mixes named and unnamed parameter-set blocks.');
  // A single SYNTAX block without a `###` heading is the cmdlet's only set; PowerShell calls it __AllParameterSets.
  for (const s of unnamed) s.name = '__AllParameterSets';
  const setNames = sets.map((s) => s.name);
  const defaults = sets.filter((s) => s.isDefault).map((s) => s.name);
  if (defaults.length > 1) note('default-set', `More than one set is marked (Default): ${defaults.join(', ')}.`);
  if (sets.length > 1 && defaults.length === 0) note('default-set', 'Several parameter sets, none marked (Default).');
  const defaultParameterSet = defaults[0] ?? (sets.length === 1 ? sets[0].name : null);

  // PARAMETERS
  const documented = new Map(); // name -> { blocks: [{ fields }] }
  for (const sub of subsections(section(tokens, 'PARAMETERS') ?? [])) {
    if (sub.title === null) continue;
    if (/^CommonParameters$/i.test(sub.title)) continue;
    const m = /^-(\w+)$/.exec(sub.title.trim());
    if (!m) {
      note('parameters-heading', `Unexpected heading in PARAMETERS: "### ${sub.title}".`);
      continue;
    }
    const name = m[1];
    const yamls = sub.tokens.filter((t) => t.kind === 'code' && t.lang === 'yaml');
    if (!yamls.length) {
      note('parameter-no-yaml', `-${name} has no yaml block.`, { parameter: name });
      continue;
    }
    if (documented.has(name))
      note('parameter-duplicate', `-${name} is documented twice; the blocks are merged.`, { parameter: name });
    const entry = documented.get(name) ?? { blocks: [] };
    for (const y of yamls) {
      const { fields, unknown } = parseYaml(y.lines);
      for (const u of unknown)
        note('yaml-unknown-key', `-${name}: unexpected yaml line or key "${u}".`, { parameter: name });
      entry.blocks.push(fields);
    }
    documented.set(name, entry);
  }

  // ShouldProcess: -WhatIf/-Confirm are reported as a flag, not as parameters.
  const inSyntax = (n) => sets.some((s) => s.params.some((p) => p.name === n));
  const spSyntax = [...SHOULD_PROCESS].filter(inSyntax);
  const spParams = [...SHOULD_PROCESS].filter((n) => documented.has(n));
  const supportsShouldProcess = spSyntax.length > 0 || spParams.length > 0;
  if (supportsShouldProcess) {
    for (const n of SHOULD_PROCESS) {
      if (!spSyntax.includes(n) && !spParams.includes(n))
        note('should-process', `-${n} is missing although ${[...SHOULD_PROCESS].find((x) => x !== n)} is documented.`);
      else if (!spSyntax.includes(n)) note('should-process', `-${n} is in PARAMETERS but not in SYNTAX.`);
      else if (!spParams.includes(n)) note('should-process', `-${n} is in SYNTAX but not in PARAMETERS.`);
    }
    for (const s of sets) {
      const has = [...SHOULD_PROCESS].filter((n) => s.params.some((p) => p.name === n));
      if (spSyntax.length && has.length === 0 && sets.length > 1)
        note('should-process', `SYNTAX of set ${s.name} lacks -WhatIf/-Confirm that other sets list.`);
    }
  }

  // Build the parameter model from the yaml blocks.
  const parameters = {};
  for (const [name, { blocks }] of documented) {
    if (SHOULD_PROCESS.has(name)) continue;
    const p = { type: null, aliases: [], wildcards: false, acceptedValues: null, sets: {} };
    const types = new Set();
    const aliasSpellings = new Set();
    const wildcardValues = new Set();
    const acceptedSpellings = new Set();
    for (const f of blocks) {
      if (f.Type) types.add(f.Type);
      aliasSpellings.add(JSON.stringify(splitList(f.Aliases)));
      const wc = parseBool(f['Accept wildcard characters'] ?? 'False');
      if (wc === undefined)
        note('yaml-value', `-${name}: cannot read "Accept wildcard characters: ${f['Accept wildcard characters']}".`, {
          parameter: name,
        });
      else wildcardValues.add(wc);
      if (f['Accepted values'] !== undefined) acceptedSpellings.add(JSON.stringify(splitList(f['Accepted values'])));

      const rawSets = (f['Parameter Sets'] ?? '').trim();
      if (!rawSets) note('yaml-value', `-${name}: a yaml block has no "Parameter Sets".`, { parameter: name });
      const blockSets = /^\(All\)$/i.test(rawSets) ? [...setNames] : splitList(rawSets);
      const reqSets = perSetValues(f.Required ?? '');
      const posSets = perSetValues(f.Position ?? '');
      const pipe = parsePipeline(f['Accept pipeline input'] ?? 'False');
      if (pipe === undefined)
        note('yaml-value', `-${name}: cannot read "Accept pipeline input: ${f['Accept pipeline input']}".`, {
          parameter: name,
        });
      for (const s of blockSets) {
        const reqRaw = reqSets ? reqSets.get(s) : f.Required;
        const posRaw = posSets ? posSets.get(s) : f.Position;
        const mandatory = reqRaw === undefined ? undefined : parseBool(reqRaw);
        const position = posRaw === undefined ? undefined : parsePosition(posRaw);
        if (mandatory === undefined)
          note('yaml-value', `-${name}: no readable "Required" for set ${s} (Required: ${f.Required ?? '(none)'}).`, {
            parameter: name,
            set: s,
          });
        if (position === undefined)
          note('yaml-value', `-${name}: no readable "Position" for set ${s} (Position: ${f.Position ?? '(none)'}).`, {
            parameter: name,
            set: s,
          });
        if (p.sets[s])
          note('yaml-set-repeated', `-${name}: set ${s} appears in more than one yaml block; the first is kept.`, {
            parameter: name,
            set: s,
          });
        else {
          p.sets[s] = {
            mandatory: mandatory ?? null,
            position: position === undefined ? null : position,
            byValue: pipe?.byValue ?? false,
            byPropertyName: pipe?.byPropertyName ?? false,
          };
        }
        if (reqSets && !reqSets.has(s))
          note('yaml-value', `-${name}: "Required" does not name set ${s}.`, { parameter: name, set: s });
      }
      if (reqSets)
        for (const s of reqSets.keys())
          if (!blockSets.includes(s))
            note('yaml-value', `-${name}: "Required" names set ${s}, which is not in its "Parameter Sets".`, {
              parameter: name,
              set: s,
            });
    }
    const typeList = [...types];
    p.type = typeList[0] ?? null;
    if (typeList.length > 1)
      note(
        'type-inconsistent',
        `-${name}: its yaml blocks give different types: ${typeList.join(', ')}; the first is kept.`,
        { parameter: name },
      );
    if (!typeList.length) note('yaml-value', `-${name}: no Type.`, { parameter: name });
    const aliasList = [...aliasSpellings];
    p.aliases = JSON.parse(aliasList[0] ?? '[]');
    if (aliasList.length > 1)
      note('aliases-inconsistent', `-${name}: yaml blocks list different aliases: ${aliasList.join(' vs ')}.`, {
        parameter: name,
      });
    p.wildcards = wildcardValues.has(true);
    if (wildcardValues.size > 1)
      note('wildcards-inconsistent', `-${name}: yaml blocks disagree on "Accept wildcard characters".`, {
        parameter: name,
      });
    const acc = [...acceptedSpellings];
    p.acceptedValues = acc.length ? JSON.parse(acc[0]) : null;
    if (acc.length > 1)
      note('accepted-values-inconsistent', `-${name}: yaml blocks list different accepted values.`, {
        parameter: name,
      });
    parameters[name] = p;
  }

  // SYNTAX vs PARAMETERS.
  for (const [name, p] of Object.entries(parameters)) {
    for (const s of Object.keys(p.sets)) {
      if (!setNames.includes(s)) {
        note(
          'set-unknown',
          `-${name}: PARAMETERS puts it in set "${s}", which SYNTAX does not show (SYNTAX sets: ${setNames.join(', ') || 'none'}).`,
          { parameter: name, set: s },
        );
      }
    }
  }
  for (const s of sets) {
    for (const sp of s.params) {
      if (SHOULD_PROCESS.has(sp.name)) continue;
      const p = parameters[sp.name];
      if (!p) {
        note('parameter-undocumented', `-${sp.name} is in SYNTAX (set ${s.name}) but has no PARAMETERS entry.`, {
          parameter: sp.name,
          set: s.name,
        });
        continue;
      }
      const ps = p.sets[s.name];
      if (!ps) {
        note(
          'set-mismatch',
          `-${sp.name} is in the SYNTAX of set ${s.name}, but its PARAMETERS entry does not list that set.`,
          { parameter: sp.name, set: s.name },
        );
        continue;
      }
      if (ps.mandatory !== null && ps.mandatory !== sp.mandatory) {
        note(
          'required-mismatch',
          `-${sp.name} in set ${s.name}: SYNTAX shows it ${sp.mandatory ? 'mandatory' : 'optional'}, PARAMETERS says Required: ${ps.mandatory ? 'True' : 'False'}.`,
          { parameter: sp.name, set: s.name },
        );
      }
      if (sp.positional !== (ps.position !== null)) {
        note(
          'position-mismatch',
          `-${sp.name} in set ${s.name}: SYNTAX shows it ${sp.positional ? 'positional' : 'named'}, PARAMETERS says Position: ${ps.position ?? 'Named'}.`,
          { parameter: sp.name, set: s.name },
        );
      }
      if (sp.type === null && !/SwitchParameter$/.test(p.type ?? '')) {
        note('type-mismatch', `-${sp.name} in set ${s.name}: SYNTAX shows a switch, PARAMETERS says Type: ${p.type}.`, {
          parameter: sp.name,
          set: s.name,
        });
      } else if (sp.type !== null && shortType(sp.type) !== shortType(p.type ?? '')) {
        note(
          'type-mismatch',
          `-${sp.name} in set ${s.name}: SYNTAX says <${sp.type}>, PARAMETERS says Type: ${p.type}.`,
          { parameter: sp.name, set: s.name },
        );
      }
    }
    // Positional order: SYNTAX order must agree with the yaml position numbers.
    const positional = s.params.filter((sp) => parameters[sp.name]?.sets[s.name]?.position != null);
    const byNumber = [...positional].sort(
      (a, b) => parameters[a.name].sets[s.name].position - parameters[b.name].sets[s.name].position,
    );
    if (positional.map((x) => x.name).join() !== byNumber.map((x) => x.name).join()) {
      note(
        'position-order',
        `Set ${s.name}: SYNTAX order of positional parameters (${positional.map((x) => x.name).join(', ')}) disagrees with their Position numbers.`,
        { set: s.name },
      );
    }
  }
  for (const [name, p] of Object.entries(parameters)) {
    for (const s of sets) {
      if (p.sets[s.name] && !s.params.some((sp) => sp.name === name)) {
        note(
          'set-mismatch',
          `-${name}: PARAMETERS lists set ${s.name}, but the SYNTAX of ${s.name} does not show it.`,
          { parameter: name, set: s.name },
        );
      }
    }
  }
  for (const s of setNames) {
    const seen = new Map();
    for (const [name, p] of Object.entries(parameters)) {
      const pos = p.sets[s]?.position;
      if (pos == null) continue;
      if (seen.has(pos))
        note('position-duplicate', `Set ${s}: -${seen.get(pos)} and -${name} both claim Position ${pos}.`, { set: s });
      else seen.set(pos, name);
    }
  }
  // Sets that no parameter tells apart (PowerShell resolves a set from the parameters bound).
  const signature = (s) =>
    Object.entries(parameters)
      .filter(([, p]) => p.sets[s])
      .map(([n]) => n)
      .sort()
      .join(',');
  for (let a = 0; a < setNames.length; a++) {
    for (let b = a + 1; b < setNames.length; b++) {
      if (signature(setNames[a]) === signature(setNames[b])) {
        note(
          'sets-indistinguishable',
          `Sets ${setNames[a]} and ${setNames[b]} have the same documented parameters (${signature(setNames[a]) || 'none'}); the doc gives no parameter that selects either.`,
        );
      }
    }
  }

  // INPUTS / OUTPUTS: the `###` headings, split on " or ", without "None".
  const typeHeadings = (title) => {
    const list = [];
    for (const sub of subsections(section(tokens, title) ?? [])) {
      if (sub.title === null) continue;
      for (const part of sub.title.split(/\s+or\s+|,\s+(?![^[]*\])/)) {
        const t = part.trim().replace(/^`|`$/g, '');
        if (t && !/^none\.?$/i.test(t) && !list.includes(t)) list.push(t);
      }
    }
    return list;
  };

  return {
    module: front['Module Name'] ?? null,
    defaultParameterSet,
    parameterSets: setNames,
    supportsShouldProcess,
    inputs: typeHeadings('INPUTS'),
    outputs: typeHeadings('OUTPUTS'),
    parameters,
    notes,
  };
}

/** `System.String[]` and `String[]` compare equal; generic/CIM suffixes are kept. */
function shortType(t) {
  const m = /^(.*?)((?:\[\])*)$/.exec(t.trim());
  const base = m[1].split('#')[0];
  return base.slice(base.lastIndexOf('.') + 1).toLowerCase() + m[2];
}

// --------------------------------------------------------------------------------------- type resolution

/** Full names that docs of the given modules print as INPUTS/OUTPUTS headings: short name -> full name. */
function collectTypeEvidence(sources, jobs) {
  const counts = new Map(); // short -> Map(full -> count)
  for (const { src, dirs } of jobs) {
    const paths = [];
    for (const dir of dirs) {
      for (const n of listDir(src, dir)) if (n.toLowerCase().endsWith('.md')) paths.push(`${dir}/${n}`);
    }
    for (const text of showFiles(src, paths).values()) {
      const { tokens } = tokenize(text);
      for (const title of ['INPUTS', 'OUTPUTS']) {
        for (const sub of subsections(section(tokens, title) ?? [])) {
          for (const part of (sub.title ?? '').split(/\s+or\s+|,\s+/)) {
            const full = part
              .trim()
              .replace(/(\[\])+$/, '')
              .split('#')[0];
            if (!/^[A-Za-z]\w*(\.\w+)+$/.test(full)) continue;
            const short = full.slice(full.lastIndexOf('.') + 1);
            if (!counts.has(short)) counts.set(short, new Map());
            counts.get(short).set(full, (counts.get(short).get(full) ?? 0) + 1);
          }
        }
      }
    }
  }
  const evidence = new Map();
  for (const [short, m] of counts) {
    const best = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0];
    evidence.set(short, best);
  }
  return evidence;
}

function resolveTypeFullName(type, module, evidence) {
  if (!type) return null;
  const m = /^(.*?)((?:\[\])*)$/.exec(type.trim());
  const base = m[1];
  const arr = m[2];
  if (base.includes('.')) return { full: base + arr, assumed: false };
  if (KNOWN_TYPES[base]) return { full: KNOWN_TYPES[base] + arr, assumed: false };
  if (evidence.has(base)) return { full: evidence.get(base) + arr, assumed: false };
  if (MODULE_NAMESPACES[module]) return { full: `${MODULE_NAMESPACES[module]}.${base}${arr}`, assumed: true };
  return null;
}

// ------------------------------------------------------------------------------------------------- merge

const cmp = (a, b) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Merges the per-docset models of one cmdlet. `docsets` is sorted; the last one is the newest. */
function mergeCmdlet(name, perDocset, evidence) {
  const keys = Object.keys(perDocset).sort(cmp);
  const newest = [...keys].reverse();
  const pick = (f) => perDocset[newest.find((k) => f(perDocset[k]) !== undefined)];
  const notes = [];
  const diff = (kind, message, values, extra = {}) => notes.push({ kind, message, docsets: keys, ...extra, values });
  const onlyIn = (present) => (keys.length > 1 && present.length === 1 ? present[0] : undefined);

  // Notes found while parsing, grouped across docsets.
  const grouped = new Map();
  for (const k of keys) {
    for (const n of perDocset[k].notes) {
      const id = JSON.stringify([n.kind, n.message, n.parameter ?? null, n.set ?? null]);
      if (!grouped.has(id)) grouped.set(id, { ...n, docsets: [] });
      grouped.get(id).docsets.push(k);
    }
  }
  notes.push(...grouped.values());

  const valuesBy = (f) => Object.fromEntries(keys.map((k) => [k, f(perDocset[k])]));
  const allSame = (f) => keys.every((k) => same(f(perDocset[k]), f(perDocset[keys[0]])));

  const module = pick((d) => d.module ?? undefined)?.module ?? null;
  if (!allSame((d) => d.module))
    diff(
      'differs-between-docsets',
      'Module Name differs.',
      valuesBy((d) => d.module),
    );

  // Parameter sets: newest docset's order, then sets only the older ones have.
  const parameterSets = [];
  for (const k of newest)
    for (const s of perDocset[k].parameterSets) if (!parameterSets.includes(s)) parameterSets.push(s);
  const parameterSetsOnlyIn = {};
  for (const s of parameterSets) {
    const o = onlyIn(keys.filter((k) => perDocset[k].parameterSets.includes(s)));
    if (o) parameterSetsOnlyIn[s] = o;
  }
  if (!allSame((d) => d.parameterSets))
    diff(
      'differs-between-docsets',
      'The parameter sets (or their order) differ.',
      valuesBy((d) => d.parameterSets),
    );

  const defaultParameterSet = perDocset[newest[0]].defaultParameterSet;
  if (!allSame((d) => d.defaultParameterSet))
    diff(
      'differs-between-docsets',
      'The default parameter set differs.',
      valuesBy((d) => d.defaultParameterSet),
    );
  const supportsShouldProcess = keys.some((k) => perDocset[k].supportsShouldProcess);
  if (!allSame((d) => d.supportsShouldProcess))
    diff(
      'differs-between-docsets',
      '-WhatIf/-Confirm are documented in only some docsets.',
      valuesBy((d) => d.supportsShouldProcess),
    );
  const inputs = perDocset[newest[0]].inputs;
  const outputs = perDocset[newest[0]].outputs;
  if (!allSame((d) => d.inputs))
    diff(
      'differs-between-docsets',
      'INPUTS differ.',
      valuesBy((d) => d.inputs),
    );
  if (!allSame((d) => d.outputs))
    diff(
      'differs-between-docsets',
      'OUTPUTS differ.',
      valuesBy((d) => d.outputs),
    );

  const names = [...new Set(keys.flatMap((k) => Object.keys(perDocset[k].parameters)))].sort(cmp);
  const parameters = {};
  for (const pn of names) {
    const present = newest.filter((k) => perDocset[k].parameters[pn]);
    const base = perDocset[present[0]].parameters[pn];
    const out = { type: base.type };
    const resolved = resolveTypeFullName(base.type, module, evidence);
    if (resolved) {
      out.typeFullName = resolved.full;
      if (resolved.assumed) out.typeFullNameAssumed = true;
    }
    const typeBy = Object.fromEntries(present.map((k) => [k, perDocset[k].parameters[pn].type]));
    if (new Set(Object.values(typeBy)).size > 1) {
      out.typeIn = Object.fromEntries(
        Object.keys(typeBy)
          .sort(cmp)
          .map((k) => [k, typeBy[k]]),
      );
      diff('type-differs-between-docsets', `-${pn}: the type differs between docsets.`, out.typeIn, { parameter: pn });
    }
    out.aliases = base.aliases;
    out.wildcards = base.wildcards;
    if (base.acceptedValues) out.acceptedValues = base.acceptedValues;
    for (const [field, label] of [
      ['aliases', 'aliases'],
      ['wildcards', '"Accept wildcard characters"'],
      ['acceptedValues', 'accepted values'],
    ]) {
      if (present.some((k) => !same(perDocset[k].parameters[pn][field], base[field]))) {
        diff(
          'differs-between-docsets',
          `-${pn}: ${label} differ.`,
          Object.fromEntries(present.map((k) => [k, perDocset[k].parameters[pn][field]])),
          { parameter: pn },
        );
      }
    }
    out.sets = {};
    const setOrder = parameterSets.filter((s) => present.some((k) => perDocset[k].parameters[pn].sets[s]));
    // Sets named only in PARAMETERS (not in any SYNTAX) come last, alphabetically.
    const extra = [...new Set(present.flatMap((k) => Object.keys(perDocset[k].parameters[pn].sets)))]
      .filter((s) => !parameterSets.includes(s))
      .sort(cmp);
    for (const s of [...setOrder, ...extra]) {
      const have = present.filter((k) => perDocset[k].parameters[pn].sets[s]);
      const v = { ...perDocset[have[0]].parameters[pn].sets[s] };
      if (have.some((k) => !same(perDocset[k].parameters[pn].sets[s], v))) {
        diff(
          'differs-between-docsets',
          `-${pn} in set ${s}: mandatory/position/pipeline differ.`,
          Object.fromEntries(have.map((k) => [k, perDocset[k].parameters[pn].sets[s]])),
          { parameter: pn, set: s },
        );
      }
      const o = onlyIn(have);
      if (o && !onlyIn(present)) v.onlyIn = o;
      out.sets[s] = v;
    }
    const po = onlyIn(present);
    if (po) out.onlyIn = po;
    parameters[pn] = out;
  }

  // Pipeline input against INPUTS (checked on the merged, newest view).
  const pipelineTypes = Object.entries(parameters)
    .filter(([, p]) => Object.values(p.sets).some((s) => s.byValue))
    .map(([n, p]) => ({ name: n, short: shortType(p.type ?? '') }));
  const inputShorts = inputs.map(shortType);
  for (const pt of pipelineTypes) {
    const element = pt.short.replace(/(\[\])+$/, '');
    if (!inputShorts.some((i) => i === pt.short || i.replace(/(\[\])+$/, '') === element)) {
      notes.push({
        kind: 'inputs-mismatch',
        message: `-${pt.name} accepts pipeline input ByValue, but INPUTS ${inputs.length ? `lists only ${inputs.join(', ')}` : 'lists nothing'}.`,
        parameter: pt.name,
        docsets: keys,
      });
    }
  }
  for (const inp of inputs) {
    const s = shortType(inp).replace(/(\[\])+$/, '');
    const takers = Object.entries(parameters).filter(
      ([, p]) =>
        shortType(p.type ?? '').replace(/(\[\])+$/, '') === s &&
        Object.values(p.sets).some((x) => x.byValue || x.byPropertyName),
    );
    if (!takers.length)
      notes.push({
        kind: 'inputs-mismatch',
        message: `INPUTS lists ${inp}, but no parameter of that type accepts pipeline input.`,
        docsets: keys,
      });
  }

  const sortedNotes = notes
    .map((n) => {
      const o = { kind: n.kind };
      if (n.parameter) o.parameter = n.parameter;
      if (n.set) o.set = n.set;
      o.docsets = [...n.docsets].sort(cmp);
      o.message = n.message;
      if (n.values !== undefined) {
        o.values = Object.fromEntries(
          Object.keys(n.values)
            .sort(cmp)
            .map((k) => [k, n.values[k]]),
        );
      }
      return o;
    })
    .sort(
      (a, b) =>
        cmp(a.kind, b.kind) ||
        cmp(a.parameter ?? '', b.parameter ?? '') ||
        cmp(a.set ?? '', b.set ?? '') ||
        cmp(a.message, b.message),
    );

  const record = { module, docs: {}, defaultParameterSet, parameterSets };
  if (Object.keys(parameterSetsOnlyIn).length) record.parameterSetsOnlyIn = parameterSetsOnlyIn;
  Object.assign(record, { supportsShouldProcess, inputs, outputs, parameters, docNotes: sortedNotes });
  return record;
}

// -------------------------------------------------------------------------------------------------- main

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const sources = {
    windows: openSource(WINDOWS_DOCS, opts.windowsDocs, opts.windowsRev, opts.windowsDocsets),
    ps: openSource(PS_DOCS, opts.psDocs, opts.psRev, opts.psDocsets),
  };

  // Locate each cmdlet's file in each docset.
  const located = CMDLETS.map((c) => {
    const src = sources[c.source];
    const files = {};
    for (const ds of src.docsets) {
      if (c.docsets && !c.docsets.includes(ds.key)) continue;
      const folder = findChild(src, ds.root, c.folder);
      if (!folder) fail(`${src.repository}@${src.commit}: no folder ${ds.root}/${c.folder}`);
      const file = findChild(src, `${ds.root}/${folder}`, `${c.name}.md`);
      if (!file) fail(`${src.repository}@${src.commit}: no ${c.name}.md in ${ds.root}/${folder}`);
      files[ds.key] = `${ds.root}/${folder}/${file}`;
    }
    if (!Object.keys(files).length) fail(`none of the selected docsets documents ${c.name}`);
    return { ...c, src, files };
  });

  // Full type names printed by the same modules' docs (all cmdlets of those modules, every docset used).
  const evidenceJobs = [];
  for (const src of Object.values(sources)) {
    const dirs = new Set();
    for (const c of located.filter((x) => x.src === src)) {
      for (const f of Object.values(c.files)) dirs.add(f.slice(0, f.lastIndexOf('/')));
    }
    evidenceJobs.push({ src, dirs: [...dirs].sort(cmp) });
  }
  const evidence = collectTypeEvidence(sources, evidenceJobs);

  const cmdlets = {};
  for (const c of [...located].sort((a, b) => cmp(a.name, b.name))) {
    const perDocset = {};
    for (const [ds, path] of Object.entries(c.files)) perDocset[ds] = parseCmdletDoc(showFile(c.src, path), c.name);
    const record = mergeCmdlet(c.name, perDocset, evidence);
    record.docs = Object.fromEntries(
      Object.keys(c.files)
        .sort(cmp)
        .map((k) => [k, c.files[k]]),
    );
    cmdlets[c.name] = record;
  }

  const used = (src) => src.docsets.filter((ds) => located.some((c) => c.src === src && c.files[ds.key]));
  const output = {
    $comment:
      `Generated by ${SCRIPT} from ${sources.windows.repository}@${sources.windows.commit.slice(0, 12)} and ` +
      `${sources.ps.repository}@${sources.ps.commit.slice(0, 12)}; do not edit by hand. See main/simulator/reference/README.md.`,
    sources: Object.values(sources).map((s) => ({
      repository: s.repository,
      commit: s.commit,
      commitDate: s.commitDate,
      paths: used(s).map((ds) => ds.root),
      docsets: Object.fromEntries(used(s).map((ds) => [ds.key, ds.root])),
    })),
    cmdlets,
  };
  const text = JSON.stringify(output, null, 2) + '\n';

  if (opts.check) {
    const current = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : null;
    if (current !== text) {
      process.stderr.write(`extract-cmdlet-reference: ${relative(process.cwd(), opts.out)} is not up to date\n`);
      process.exit(1);
    }
    process.stdout.write(`extract-cmdlet-reference: ${relative(process.cwd(), opts.out)} is up to date\n`);
    return;
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  const tmp = `${opts.out}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, opts.out);
  const noteCount = Object.values(cmdlets).reduce((n, c) => n + c.docNotes.length, 0);
  process.stdout.write(
    `extract-cmdlet-reference: wrote ${relative(process.cwd(), opts.out)} ` +
      `(${Object.keys(cmdlets).length} cmdlets, ${noteCount} doc notes)\n`,
  );
}

main();
