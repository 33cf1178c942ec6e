/**
 * `placetwin area add|set|list`: the councils (areas) one install serves, and `import-sensors --area`.
 *
 *   placetwin area add --id leeds --lad17cd E08000035 [--name "Leeds"] [--languages en,cy] \
 *     [--privacy-contact "dpo@leeds.gov.uk"] [--camera lon,lat,height[,heading,pitch]] [--retention-days 365]
 *
 * The boundary is the district's polygon in the ONS Local Authority Districts (December 2017) GeoJSON, read from
 * `<sample data>/boundaries/local-authority-districts-2017-uk.geojson` (or `--boundaries <file>`); the name
 * defaults to the district's. `--id default` gives the install's first area (which every record made before
 * areas belongs to) its district instead of adding one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AreaCamera,
  type AreaLanguage,
  type AreaSettings,
  addArea,
  checkAreaId,
  type Db,
  DEFAULT_AREA,
  getArea,
  LAD17CD,
  listAreas,
  parseCamera,
  parseLanguages,
  readLadBoundary,
  setAreaDistrict,
  updateArea,
} from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';

export const BOUNDARIES_FILE = 'boundaries/local-authority-districts-2017-uk.geojson';

/** What `area add` / `area set` were given, as typed at the command line. */
export interface AreaArgs {
  id?: string;
  lad17cd?: string;
  name?: string;
  nameCy?: string;
  languages?: string;
  privacyContact?: string;
  camera?: string;
  retentionDays?: string;
  primaryColour?: string;
  secondaryColour?: string;
  logoUrl?: string;
}

export interface ParsedAreaArgs {
  id: string;
  lad17cd: string | null;
  settings: AreaSettings;
}

/** Checks and converts the arguments (no I/O), naming the option at fault. */
export function parseAreaArgs(o: AreaArgs, { requireDistrict = false } = {}): ParsedAreaArgs {
  const id = checkAreaId(o.id);
  if (o.lad17cd !== undefined && !LAD17CD.test(o.lad17cd)) {
    throw new DataError(
      'invalid-lad17cd',
      `--lad17cd: "${o.lad17cd}" is not an ONS district code like E08000035`,
    );
  }
  if (requireDistrict && o.lad17cd === undefined && id !== DEFAULT_AREA) {
    throw new DataError(
      'invalid-area',
      '--lad17cd is required: the area’s boundary comes from its ONS district',
    );
  }
  const settings: AreaSettings = {};
  if (o.name !== undefined) settings.name = o.name;
  if (o.nameCy !== undefined) settings.nameCy = o.nameCy;
  if (o.languages !== undefined) settings.languages = parseLanguages(o.languages) as AreaLanguage[];
  if (o.privacyContact !== undefined) settings.privacyContact = o.privacyContact;
  if (o.camera !== undefined) settings.camera = parseCamera(o.camera) as AreaCamera;
  if (o.logoUrl !== undefined) settings.logoUrl = o.logoUrl;
  if (o.retentionDays !== undefined) {
    const n = Number(o.retentionDays);
    if (!/^[0-9]{1,4}$/.test(o.retentionDays) || n < 1 || n > 3650) {
      throw new DataError(
        'invalid-area',
        `--retention-days: a whole number of days from 1 to 3650, not "${o.retentionDays}"`,
      );
    }
    settings.retentionDays = n;
  }
  if (o.primaryColour !== undefined || o.secondaryColour !== undefined) {
    settings.colours = { primary: o.primaryColour, secondary: o.secondaryColour };
  }
  return { id, lad17cd: o.lad17cd ?? null, settings };
}

const describe = (a: {
  id: string;
  lad17cd: string | null;
  name: string;
  languages: string[];
  bbox: number[] | null;
}) =>
  `${a.id}\t${a.lad17cd ?? '(no district)'}\t${a.name}\t${a.languages.join(',')}\t${
    a.bbox ? `boundary ${a.bbox.map((v) => v.toFixed(3)).join(',')}` : '(no boundary)'
  }`;

/** Adds an area from parsed arguments: its district's boundary from the ONS file (the `default` area is updated). */
export async function addAreaFromArgs(db: Db, args: ParsedAreaArgs, boundariesFile: string) {
  const district = args.lad17cd ? await readLadBoundary(boundariesFile, args.lad17cd) : null;
  if (args.id === DEFAULT_AREA && (await getArea(db, DEFAULT_AREA))) {
    if (district) {
      await setAreaDistrict(db, DEFAULT_AREA, {
        lad17cd: args.lad17cd!,
        name: args.settings.name ?? district.name,
        nameCy: args.settings.nameCy ?? district.nameCy,
        boundary: district.geometry,
        camera: args.settings.camera ?? undefined,
      });
    }
    return (await updateArea(db, DEFAULT_AREA, args.settings))!;
  }
  return addArea(db, {
    ...args.settings,
    id: args.id,
    lad17cd: args.lad17cd,
    name: args.settings.name ?? district?.name ?? args.id,
    nameCy: args.settings.nameCy ?? district?.nameCy ?? null,
    boundary: district?.geometry ?? null,
  });
}

const areaOptions = (c: Command) =>
  c
    .option('--name <text>', "the council's name; default: the district's name")
    .option('--name-cy <text>', 'the Welsh name (for areas that declare Welsh)')
    .option('--languages <list>', 'languages of the public site, default first, e.g. en,cy')
    .option('--privacy-contact <text>', 'who to contact about personal data (shown in privacy notices)')
    .option('--camera <lon,lat,height[,heading,pitch]>', 'where the viewer opens; default: over the boundary')
    .option('--retention-days <n>', "days after a consultation closes that commenters' personal data is kept")
    .option('--primary-colour <#rrggbb>', 'brand colour')
    .option('--secondary-colour <#rrggbb>', 'second brand colour')
    .option('--logo-url <url>', 'logo (https:// or a path on this site)');

export function addAreaCommands(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
  sampleDataDir: () => string,
): void {
  const area = cmd
    .command('area')
    .description('The councils (areas) this install serves: each has its own data, staff and consultations');

  areaOptions(
    area
      .command('add')
      .description(
        'Add a council area with its ONS district boundary (or give the first area, `default`, its district)',
      )
      .requiredOption(
        '--id <id>',
        'short id used in URLs (?council=<id>) and commands (--area <id>), e.g. leeds',
      )
      .option('--lad17cd <code>', 'ONS 2017 local authority district code, e.g. E08000035 (Leeds)')
      .option('--boundaries <file>', `the ONS districts GeoJSON; default: <sample data>/${BOUNDARIES_FILE}`),
  ).action(async (o: AreaArgs & { boundaries?: string }) => {
    const args = parseAreaArgs(o, { requireDistrict: true });
    const file = o.boundaries ?? join(sampleDataDir(), BOUNDARIES_FILE);
    await withDb(async (db) => {
      const a = await addAreaFromArgs(db, args, file);
      console.log(`Area ${describe(a)}`);
      console.log(
        `Next: import its data with --area ${a.id}, and add its first admin with \`placetwin user add --area ${a.id} --role admin --email …\``,
      );
    });
  });

  areaOptions(
    area
      .command('set')
      .description("Change an area's settings (name, languages, privacy contact, retention, camera, colours)")
      .requiredOption('--id <id>', 'the area'),
  ).action(async (o: AreaArgs) => {
    const args = parseAreaArgs(o);
    await withDb(async (db) => {
      const a = await updateArea(db, args.id, args.settings);
      if (!a) throw new DataError('unknown-area', `there is no area "${args.id}"`);
      console.log(`Area ${describe(a)}`);
    });
  });

  area
    .command('list')
    .description('List the areas: id, ONS district, name, languages, boundary extent')
    .action(async () => {
      await withDb(async (db) => {
        for (const a of await listAreas(db)) console.log(describe(a));
      });
    });
}

/** `--area <id>`, checked, for the import commands (default `default`). */
export function areaOption(value: unknown): string {
  return value === undefined ? DEFAULT_AREA : checkAreaId(value);
}

/** The sample city's council: Rutland County Council, ONS district E06000017. */
export const SAMPLE_AREA = { lad17cd: 'E06000017', name: 'Rutland' } as const;

/**
 * First start with the sample city: the install's first area (`default`) becomes Rutland, with its real
 * boundary from the ONS districts file. Does nothing when `default` already has a district or the file is absent.
 */
export async function ensureSampleArea(
  db: Db,
  sampleDataDir: string,
  log: (msg: string) => void = () => {},
): Promise<boolean> {
  const current = await getArea(db, DEFAULT_AREA);
  if (!current || current.lad17cd) return false;
  const file = join(sampleDataDir, BOUNDARIES_FILE);
  if (!existsSync(file)) return false;
  const d = await readLadBoundary(file, SAMPLE_AREA.lad17cd);
  await setAreaDistrict(db, DEFAULT_AREA, {
    lad17cd: SAMPLE_AREA.lad17cd,
    name: current.name === 'Default area' ? d.name : current.name,
    nameCy: d.nameCy,
    boundary: d.geometry,
  });
  log(`The first area is now ${d.name} (${SAMPLE_AREA.lad17cd}), with its ONS boundary`);
  return true;
}
