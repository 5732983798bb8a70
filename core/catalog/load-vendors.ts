// Loads and validates signatures/vendors.yaml (format: signatures/README.md "vendors.yaml").
// Every problem is reported as `file:line: message`, all of them before failing.
import { join } from 'node:path';
import type { WatchlistMembership } from '../identify/contracts.js';
import { DEVICE_CLASSES, type DeviceClass } from '../inventory.js';
import { signaturesDir } from '../paths.js';
import { isCountryCode } from '../vocabulary/countries.js';
import { AliasIndex, aliasProblem } from './registrant-alias.js';
import { Catalog, type VendorEntry, type WatchlistInfo } from './vendor-catalog.js';
import { YamlSource } from './yaml-source.js';

/** Most vendors one catalog may hold (the shipped one has a few hundred). */
export const MAX_VENDORS = 5000;
/** Most aliases one vendor may list. */
export const MAX_ALIASES_PER_VENDOR = 200;

const VENDOR_FIELDS = ['name', 'country', 'classes', 'source'] as const;
const VENDOR_OPTIONAL = ['parent', 'aliases', 'chipset', 'watchlists'] as const;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

export function parseVendorCatalog(text: string, file: string): Catalog {
  return buildCatalog(new YamlSource(file, text));
}

/** Loads the catalog; the shipped signatures/vendors.yaml by default. */
export function loadVendorCatalog(file = join(signaturesDir(), 'vendors.yaml')): Catalog {
  return buildCatalog(YamlSource.read(file));
}

function buildCatalog(src: YamlSource): Catalog {
  const top = src.fields(src.doc.contents, 'the file', ['watchlists', 'vendors']);
  const lists = top ? readWatchlistDefs(src, top.get('watchlists')) : new Map<string, WatchlistInfo>();
  const vendors: VendorEntry[] = [];
  // Names and aliases are checked for clashes even on vendors with other problems, so one run
  // shows every problem; the real index is built only from a clean file.
  const seenAliases = new AliasIndex<string>();
  const names = new Map<string, number>();
  const items = top ? src.list(top.get('vendors'), 'vendors', MAX_VENDORS) : null;
  for (const item of items ?? []) {
    const read = readVendor(src, item, lists);
    if (!read) continue;
    if (read.name !== null) {
      const first = names.get(read.name.toLowerCase());
      if (first !== undefined)
        src.problem(item as never, `vendor '${read.name}' is already defined at line ${first}`);
      else names.set(read.name.toLowerCase(), src.line(item as never));
    }
    read.aliases.forEach((alias, i) => {
      const owner = seenAliases.add(alias, read.name ?? '?');
      if (owner !== undefined) {
        const whose = owner === read.name ? 'listed twice' : `already an alias of '${owner}'`;
        src.problem(read.aliasNodes[i] as never, `vendor '${read.name}': alias '${alias}' is ${whose}`);
      }
    });
    if (read.entry) vendors.push(read.entry);
  }
  src.check();
  const aliases = new AliasIndex<VendorEntry>();
  for (const v of vendors) for (const alias of v.aliases) aliases.add(alias, v);
  return new Catalog(vendors, aliases, lists);
}

function readWatchlistDefs(src: YamlSource, node: unknown): Map<string, WatchlistInfo> {
  const lists = new Map<string, WatchlistInfo>();
  for (const [id, { key, value }] of src.entries(node, 'watchlists')) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
      src.problem(key as never, `watch list id '${id}' must be lower-case words joined by '-'`);
      continue;
    }
    const f = src.fields(value, `watch list '${id}'`, ['title', 'source']);
    if (!f) continue;
    const title = src.text(f.get('title'), `watch list '${id}': title`);
    const source = src.text(f.get('source'), `watch list '${id}': source`, 400);
    if (title && source) lists.set(id, { id, title, source });
  }
  return lists;
}

interface VendorRead {
  name: string | null;
  aliases: string[];
  aliasNodes: unknown[];
  /** Null when the vendor has a problem (already reported). */
  entry: VendorEntry | null;
}

function readVendor(
  src: YamlSource,
  node: unknown,
  lists: ReadonlyMap<string, WatchlistInfo>,
): VendorRead | null {
  const f = src.fields(node, 'vendor', VENDOR_FIELDS, VENDOR_OPTIONAL);
  if (!f) return null;
  const name = src.text(f.get('name'), 'vendor name', 80);
  const what = `vendor '${name ?? '?'}'`;
  const countryNode = f.get('country');
  const country = countryNode === undefined ? null : src.text(countryNode, `${what}: country`, 2);
  if (country !== null && !isCountryCode(country)) {
    src.problem(countryNode as never, `${what}: country '${country}' is not an ISO 3166-1 alpha-2 code`);
  }
  const parent = f.has('parent') ? src.textOrNull(f.get('parent'), `${what}: parent`, 80) : null;
  if (parent !== undefined && parent !== null && parent === name) {
    src.problem(f.get('parent') as never, `${what}: a vendor cannot be its own parent`);
  }
  const source = f.has('source') ? src.text(f.get('source'), `${what}: source`, 400) : null;
  const chipset = f.has('chipset') ? src.boolean(f.get('chipset'), `${what}: chipset`) : false;

  const classes: DeviceClass[] = [];
  for (const c of (f.has('classes') ? src.list(f.get('classes'), `${what}: classes`, 32) : null) ?? []) {
    const value = src.text(c, `${what}: class`, 40);
    if (value === null) continue;
    if (!(DEVICE_CLASSES as readonly string[]).includes(value)) {
      src.problem(
        c as never,
        `${what}: unknown device class '${value}' (known: ${DEVICE_CLASSES.join(', ')})`,
      );
    } else if (classes.includes(value as DeviceClass))
      src.problem(c as never, `${what}: class '${value}' listed twice`);
    else classes.push(value as DeviceClass);
  }

  const aliases: string[] = [];
  const aliasNodes: unknown[] = [];
  for (const a of src.list(f.get('aliases') ?? null, `${what}: aliases`, MAX_ALIASES_PER_VENDOR) ?? []) {
    const alias = src.text(a, `${what}: alias`, 120);
    if (alias === null) continue;
    const problem = aliasProblem(alias);
    if (problem) src.problem(a as never, `${what}: ${problem}`);
    else {
      aliases.push(alias);
      aliasNodes.push(a);
    }
  }

  const memberships: WatchlistMembership[] = [];
  for (const m of src.list(f.get('watchlists') ?? null, `${what}: watchlists`, 32) ?? []) {
    const mf = src.fields(m, `${what}: watch-list membership`, ['list', 'since', 'source']);
    if (!mf) continue;
    const list = src.text(mf.get('list'), `${what}: watch-list id`, 60);
    if (list !== null && !lists.has(list)) {
      src.problem(
        mf.get('list') as never,
        `${what}: unknown watch list '${list}' (declared: ${[...lists.keys()].join(', ')})`,
      );
    }
    const since = mf.has('since') ? src.textOrNull(mf.get('since'), `${what}: since`, 10) : undefined;
    if (typeof since === 'string' && !isIsoDate(since)) {
      src.problem(mf.get('since') as never, `${what}: since '${since}' is not a date (YYYY-MM-DD)`);
    }
    const msource = mf.has('source') ? src.text(mf.get('source'), `${what}: watch-list source`, 400) : null;
    if (list && since !== undefined && msource && lists.has(list)) {
      if (memberships.some((x) => x.list === list))
        src.problem(m as never, `${what}: watch list '${list}' listed twice`);
      else memberships.push(Object.freeze({ list, since, source: msource }));
    }
  }

  if (!name || !country || !isCountryCode(country) || parent === undefined || !source || chipset === null) {
    return { name, aliases, aliasNodes, entry: null };
  }
  const entry: VendorEntry = Object.freeze({
    name,
    country,
    parent,
    classes: Object.freeze(classes),
    chipset,
    watchlists: Object.freeze(memberships),
    aliases: Object.freeze(aliases),
    source,
  });
  return { name, aliases, aliasNodes, entry };
}
