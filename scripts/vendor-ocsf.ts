// Vendors the attribute lists of the OCSF Compliance Finding class (2003) and the objects lens-audit's OCSF records use
// into test/fixtures/ocsf/schema-<version>.json, resolved the way the OCSF server resolves them: `extends` chains,
// `$include`d profiles (their attributes marked with the profile), dictionary types, enums merged (class over dictionary).
//   npx tsx scripts/vendor-ocsf.ts <ocsf-schema git dir> [ref=1.6.0]
// The git dir is a clone of github.com/ocsf/ocsf-schema; the file is read with `git show <ref>:<path>`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [gitDir, ref = '1.6.0'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: npx tsx scripts/vendor-ocsf.ts <ocsf-schema git dir> [ref]');
  process.exit(2);
}
type Json = Record<string, any>;
const show = (path: string): Json => JSON.parse(execFileSync('git', ['-C', gitDir, 'show', `${ref}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 }));

const dictionary = show('dictionary.json');
const types: Json = dictionary.types.attributes;
const version = show('version.json').version as string;

/** The objects whose attribute lists are vendored: every object an OCSF record of ours contains. */
const OBJECTS = ['metadata', 'product', 'finding_info', 'compliance', 'cloud', 'account', 'resource_details', 'remediation', 'kb_article'];

function mergeAttr(base: Json | undefined, over: Json): Json {
  const out: Json = { ...(base ?? {}), ...over };
  if (base?.enum || over.enum) out.enum = { ...(base?.enum ?? {}), ...(over.enum ?? {}) };
  return out;
}

/** Own attributes of a class/object file, its `$include`d profiles' attributes marked with the profile name. */
function ownAttributes(def: Json): Json {
  const out: Json = {};
  for (const inc of (def.attributes?.$include ?? []) as string[]) {
    const prof = show(inc);
    for (const [k, v] of Object.entries(prof.attributes as Json)) out[k] = mergeAttr(out[k], { ...v, profile: prof.name });
  }
  for (const [k, v] of Object.entries((def.attributes ?? {}) as Json)) if (k !== '$include') out[k] = mergeAttr(out[k], v);
  return out;
}

function resolve(path: string, dir: string): { def: Json; attributes: Json; constraints?: Json } {
  const def = show(path);
  let attributes: Json = {};
  let constraints: Json | undefined;
  if (def.extends && def.extends !== 'object') {
    const parentPath = dir === 'objects' ? `objects/${def.extends}.json` : def.extends === 'finding' ? 'events/findings/finding.json' : `events/${def.extends}.json`;
    const parent = resolve(parentPath, dir);
    attributes = parent.attributes;
    constraints = parent.constraints;
  }
  for (const [k, v] of Object.entries(ownAttributes(def))) attributes[k] = mergeAttr(attributes[k], v);
  return { def, attributes, constraints: def.constraints ?? constraints };
}

/** The base scalar type of a type name (timestamp_t → long_t), or undefined for an object type. */
function baseType(t: string): string | undefined {
  if (!t.endsWith('_t')) return undefined;
  return types[t]?.type ?? t;
}

function finish(attributes: Json): Json {
  const out: Json = {};
  for (const name of Object.keys(attributes).sort()) {
    const a = mergeAttr(dictionary.attributes[name], attributes[name]);
    const type = a.type as string;
    if (!type) throw new Error(`attribute ${name} has no type in the dictionary`);
    const entry: Json = { requirement: a.requirement ?? 'optional', type };
    const base = baseType(type);
    if (base) entry.base_type = base; else entry.object_type = type;
    if (types[type]?.regex) entry.regex = types[type].regex;
    if (a.is_array) entry.is_array = true;
    if (a.enum) entry.enum = Object.keys(a.enum).map(Number).sort((x, y) => x - y);
    if (a.enum) entry.enum_captions = Object.fromEntries(Object.entries(a.enum as Json).map(([k, v]) => [k, v.caption]));
    if (a.profile) entry.profile = a.profile;
    if (a['@deprecated']) entry.deprecated = true;
    out[name] = entry;
  }
  return out;
}

const cls = resolve('events/findings/compliance_finding.json', 'events');
const category = show('categories.json').attributes[cls.def.category ?? 'findings'] ?? show('categories.json').attributes.findings;
const classUid = category.uid * 1000 + cls.def.uid;
// The server computes these enums for a class: its own uid, its category's uid, and one type_uid per activity.
const classAttributes = finish(cls.attributes);
classAttributes.class_uid = { ...classAttributes.class_uid, enum: [classUid], enum_captions: { [classUid]: cls.def.caption } };
classAttributes.category_uid = { ...classAttributes.category_uid, enum: [category.uid], enum_captions: { [category.uid]: category.caption } };
const activities = classAttributes.activity_id.enum as number[];
classAttributes.type_uid = {
  ...classAttributes.type_uid,
  enum: activities.map((a) => classUid * 100 + a),
  enum_captions: Object.fromEntries(activities.map((a) => [classUid * 100 + a, `${cls.def.caption}: ${classAttributes.activity_id.enum_captions[a]}`])),
};
const objects: Json = {};
for (const o of OBJECTS) {
  const r = resolve(`objects/${o}.json`, 'objects');
  objects[o] = { attributes: finish(r.attributes), ...(r.constraints ? { constraints: r.constraints } : {}) };
}
const out = {
  source: `github.com/ocsf/ocsf-schema at ${ref}, vendored by scripts/vendor-ocsf.ts`,
  version,
  class: { name: 'compliance_finding', caption: cls.def.caption, uid: classUid, category_uid: category.uid, attributes: classAttributes },
  objects,
  base_types: Object.fromEntries(Object.keys(types).filter((t) => t !== 'caption').map((t) => [t, baseType(t)])),
};
const target = join(import.meta.dirname, '..', 'test', 'fixtures', 'ocsf', `schema-${version}.json`);
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${target}: class ${classUid} with ${Object.keys(out.class.attributes).length} attributes, ${OBJECTS.length} objects`);
