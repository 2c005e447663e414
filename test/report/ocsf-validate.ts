// Validates an OCSF record against the vendored attribute lists of OCSF 1.6.0 (test/fixtures/ocsf/schema-1.6.0.json,
// written by scripts/vendor-ocsf.ts from github.com/ocsf/ocsf-schema): required attributes present (profile attributes
// only when the record's metadata.profiles applies the profile), no unknown or deprecated attribute, enum values
// valid, types right (string/integer/long/boolean/object/array, regex-constrained string types), object constraints
// (at_least_one), and the class's computed ids (class_uid, category_uid, type_uid) and sibling captions consistent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Attr {
  requirement: 'required' | 'recommended' | 'optional';
  type: string;
  base_type?: string;
  object_type?: string;
  regex?: string;
  is_array?: boolean;
  enum?: number[];
  enum_captions?: Record<string, string>;
  profile?: string;
  deprecated?: boolean;
}
interface Schema {
  version: string;
  class: { uid: number; category_uid: number; caption: string; attributes: Record<string, Attr> };
  objects: Record<string, { attributes: Record<string, Attr>; constraints?: { at_least_one?: string[] } }>;
}

export const OCSF_SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ocsf', 'schema-1.6.0.json'), 'utf8')) as Schema;

/** Sibling captions the class defines (`activity_id` → `activity_name`, ...): the name must be the caption of the id. */
const SIBLINGS: Record<string, string> = {
  activity_id: 'activity_name', status_id: 'status', severity_id: 'severity', type_id: 'type', class_uid: 'class_name', category_uid: 'category_name', type_uid: 'type_name',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkScalar(path: string, a: Attr, v: unknown, errors: string[]): void {
  switch (a.base_type) {
    case 'string_t':
      if (typeof v !== 'string') errors.push(`${path}: expected a string (${a.type}), got ${JSON.stringify(v)}`);
      else if (a.regex && !new RegExp(a.regex).test(v)) errors.push(`${path}: ${JSON.stringify(v)} does not match ${a.type}`);
      return;
    case 'integer_t':
    case 'long_t':
      if (typeof v !== 'number' || !Number.isInteger(v)) errors.push(`${path}: expected an integer (${a.type}), got ${JSON.stringify(v)}`);
      return;
    case 'float_t':
      if (typeof v !== 'number') errors.push(`${path}: expected a number, got ${JSON.stringify(v)}`);
      return;
    case 'boolean_t':
      if (typeof v !== 'boolean') errors.push(`${path}: expected a boolean, got ${JSON.stringify(v)}`);
      return;
    case 'json_t':
      return;
    default:
      errors.push(`${path}: unknown base type ${a.base_type}`);
  }
}

function checkValue(path: string, a: Attr, v: unknown, errors: string[]): void {
  if (a.object_type) {
    if (!isPlainObject(v)) {
      errors.push(`${path}: expected an object (${a.object_type}), got ${JSON.stringify(v)}`);
      return;
    }
    if (a.object_type === 'object') return; // `unmapped`: any object
    const obj = OCSF_SCHEMA.objects[a.object_type];
    if (!obj) {
      errors.push(`${path}: object ${a.object_type} is not vendored (add it to scripts/vendor-ocsf.ts)`);
      return;
    }
    checkObject(path, obj.attributes, v, [], errors);
    const oneOf = obj.constraints?.at_least_one;
    if (oneOf && !oneOf.some((k) => v[k] !== undefined)) errors.push(`${path}: needs at least one of ${oneOf.join(', ')}`);
    return;
  }
  checkScalar(path, a, v, errors);
  if (a.enum && typeof v === 'number' && !a.enum.includes(v)) errors.push(`${path}: ${v} is not one of ${a.enum.join(', ')}`);
}

function checkObject(path: string, attrs: Record<string, Attr>, rec: Record<string, unknown>, profiles: string[], errors: string[]): void {
  for (const [k, v] of Object.entries(rec)) {
    const a = attrs[k];
    const p = path ? `${path}.${k}` : k;
    if (!a) {
      errors.push(`${p}: not an attribute of ${path || 'the class'}`);
      continue;
    }
    if (a.deprecated) errors.push(`${p}: deprecated`);
    if (a.profile && path === '' && !profiles.includes(a.profile)) errors.push(`${p}: belongs to profile ${a.profile}, not applied in metadata.profiles`);
    if (v === null || v === undefined) {
      errors.push(`${p}: null`);
      continue;
    }
    if (a.is_array) {
      if (!Array.isArray(v)) errors.push(`${p}: expected an array`);
      else v.forEach((item, i) => checkValue(`${p}[${i}]`, a, item, errors));
    } else if (Array.isArray(v)) errors.push(`${p}: not an array attribute`);
    else checkValue(p, a, v, errors);
    const sibling = SIBLINGS[k];
    if (sibling && a.enum_captions && typeof v === 'number' && rec[sibling] !== undefined && v !== 99) {
      if (rec[sibling] !== a.enum_captions[String(v)]) errors.push(`${path ? `${path}.` : ''}${sibling}: ${JSON.stringify(rec[sibling])} is not the caption of ${k} ${v} (${a.enum_captions[String(v)]})`);
    }
  }
  for (const [k, a] of Object.entries(attrs)) {
    if (a.requirement !== 'required' || rec[k] !== undefined) continue;
    // A profile's attribute is required only where the profile is applied (profile attributes of objects: never here).
    if (a.profile && (path !== '' || !profiles.includes(a.profile))) continue;
    errors.push(`${path ? `${path}.` : ''}${k}: required`);
  }
}

/** Problems of one Compliance Finding record; empty when it is valid OCSF 1.6.0. */
export function ocsfProblems(rec: unknown): string[] {
  const errors: string[] = [];
  if (!isPlainObject(rec)) return ['record: not an object'];
  const metadata = isPlainObject(rec.metadata) ? rec.metadata : {};
  const profiles = Array.isArray(metadata.profiles) ? (metadata.profiles as string[]) : [];
  checkObject('', OCSF_SCHEMA.class.attributes, rec, profiles, errors);
  if (rec.class_uid !== OCSF_SCHEMA.class.uid) errors.push(`class_uid: ${String(rec.class_uid)}, expected ${OCSF_SCHEMA.class.uid}`);
  if (rec.category_uid !== OCSF_SCHEMA.class.category_uid) errors.push(`category_uid: ${String(rec.category_uid)}, expected ${OCSF_SCHEMA.class.category_uid}`);
  if (typeof rec.activity_id === 'number' && rec.type_uid !== OCSF_SCHEMA.class.uid * 100 + rec.activity_id) errors.push(`type_uid: ${String(rec.type_uid)} is not class_uid * 100 + activity_id`);
  if (metadata.version !== OCSF_SCHEMA.version) errors.push(`metadata.version: ${String(metadata.version)}, expected ${OCSF_SCHEMA.version}`);
  return errors;
}
