/**
 * Which rows of the DESNZ 2023 GHG conversion factors flat file the carbon model uses, and the pure function
 * that picks them out of the file's text. `scripts/data/carbon-factors.ts` runs it on the real file and writes
 * `data/desnz-2023-factors.json`; a test runs it again on the real file and compares, so the committed table
 * cannot drift from the source.
 */
import { DataError } from '@placetwin/geo';
import { parseCsv } from './csv';

/**
 * How a factor row counts:
 * - `combustion`: scope 1, burning the fuel (or a vehicle's tailpipe);
 * - `generation`: scope 2, generating the electricity or heat bought;
 * - `td`: scope 3, transmission and distribution losses of that electricity or heat;
 * - `travel`: per passenger-km of public transport (DESNZ lists these under scope 3 business travel);
 * - `wtt`: scope 3 well-to-tank (extracting, refining, transporting the fuel);
 * - `outside-scopes`: biogenic CO2 of biomass, reported beside the inventory, never added to it;
 * - `energy-use`: not an emission factor but energy per unit of activity (kWh per km for electric cars).
 */
export type FactorComponent =
  | 'combustion'
  | 'generation'
  | 'td'
  | 'travel'
  | 'wtt'
  | 'outside-scopes'
  | 'energy-use';

/** Units of activity the factors are per. Fuel kWh are gross calorific value. */
export type ActivityUnit = 'kWh' | 'litres' | 'cubic metres' | 'tonnes' | 'vehicle-km' | 'passenger-km';

export interface FactorSelection {
  /** Our name for the activity, e.g. `natural-gas`, `car-petrol`. */
  key: string;
  unit: ActivityUnit;
  component: FactorComponent;
  /** The DESNZ `ID` column. */
  desnzId: string;
  /** The DESNZ `UOM` the row must have. */
  uom: string;
  /** The DESNZ `GHG/Unit` the row must have. */
  ghgUnit: string;
}

const KG = 'kg CO2e';
const GHG_UNIT: Partial<Record<FactorComponent, string>> = {
  'outside-scopes': 'kg CO2e of CO2 per unit',
  'energy-use': 'kWh (net)',
};
const rowsOf = (key: string, unit: ActivityUnit, uom: string, rows: [FactorComponent, string][]) =>
  rows.map(
    ([component, desnzId]): FactorSelection => ({
      key,
      unit,
      component,
      desnzId,
      uom,
      ghgUnit: GHG_UNIT[component] ?? KG,
    }),
  );

/** The rows used, by DESNZ ID (descriptors as data: adding a fuel means adding lines here and re-running the script). */
export const DESNZ_2023_SELECTION: readonly FactorSelection[] = [
  ...rowsOf('electricity', 'kWh', 'kWh', [
    ['generation', '7_400_4000_5_1'],
    ['td', '13_402_4000_5_1'],
    ['wtt', '15_917_4000_5_1'],
    ['wtt', '15_918_4000_5_1'],
  ]),
  ...rowsOf('natural-gas', 'kWh', 'kWh (Gross CV)', [
    ['combustion', '1_100_1004_6_1'],
    ['wtt', '11_100_1004_6_1'],
  ]),
  ...rowsOf('natural-gas', 'cubic metres', 'cubic metres', [
    ['combustion', '1_100_1004_1_1'],
    ['wtt', '11_100_1004_1_1'],
  ]),
  ...rowsOf('heating-oil', 'kWh', 'kWh (Gross CV)', [
    ['combustion', '1_101_1010_6_1'],
    ['wtt', '11_101_1010_6_1'],
  ]),
  ...rowsOf('heating-oil', 'litres', 'litres', [
    ['combustion', '1_101_1010_8_1'],
    ['wtt', '11_101_1010_8_1'],
  ]),
  ...rowsOf('lpg', 'kWh', 'kWh (Gross CV)', [
    ['combustion', '1_100_1003_6_1'],
    ['wtt', '11_100_1003_6_1'],
  ]),
  ...rowsOf('lpg', 'litres', 'litres', [
    ['combustion', '1_100_1003_8_1'],
    ['wtt', '11_100_1003_8_1'],
  ]),
  ...rowsOf('coal', 'kWh', 'kWh (Gross CV)', [
    ['combustion', '1_102_1027_6_1'],
    ['wtt', '11_102_1027_6_1'],
  ]),
  ...rowsOf('coal', 'tonnes', 'tonnes', [
    ['combustion', '1_102_1027_15_1'],
    ['wtt', '11_102_1027_15_1'],
  ]),
  ...rowsOf('biomass', 'kWh', 'kWh', [
    ['combustion', '2_104_1045_5_1'],
    ['wtt', '12_901_1045_5_1'],
    ['outside-scopes', '99_104_1045_5_2'],
  ]),
  ...rowsOf('biomass', 'tonnes', 'tonnes', [
    ['combustion', '2_104_1045_15_1'],
    ['wtt', '12_901_1045_15_1'],
    ['outside-scopes', '99_104_1045_15_2'],
  ]),
  ...rowsOf('district-heat', 'kWh', 'kWh', [
    ['generation', '10_401_4003_5_1'],
    ['td', '13_403_4004_5_1'],
    ['wtt', '16_919_4003_5_1'],
    ['wtt', '16_920_4004_5_1'],
  ]),
  ...rowsOf('car-petrol', 'vehicle-km', 'km', [
    ['combustion', '4_301_3070_4_1'],
    ['wtt', '26_904_3070_4_1'],
  ]),
  ...rowsOf('car-diesel', 'vehicle-km', 'km', [
    ['combustion', '4_301_3069_4_1'],
    ['wtt', '26_904_3069_4_1'],
  ]),
  ...rowsOf('car-unknown-fuel', 'vehicle-km', 'km', [
    ['combustion', '4_301_3074_4_1'],
    ['wtt', '26_904_3074_4_1'],
  ]),
  ...rowsOf('car-battery-electric', 'vehicle-km', 'km', [
    ['combustion', '4_301_3076_4_1'],
    ['generation', '8_301_3076_4_1'],
    ['td', '14_301_3076_4_1'],
    ['wtt', '26_904_3076_4_1'],
    ['energy-use', '9_301_3076_4_6'],
  ]),
  ...rowsOf('bus-local-not-london', 'passenger-km', 'passenger.km', [['travel', '25_314_3143_11_1']]),
  ...rowsOf('bus-local-average', 'passenger-km', 'passenger.km', [['travel', '25_314_3145_11_1']]),
  ...rowsOf('rail-national', 'passenger-km', 'passenger.km', [['travel', '25_315_3147_11_1']]),
  ...rowsOf('light-rail-tram', 'passenger-km', 'passenger.km', [['travel', '25_315_3149_11_1']]),
];

export interface DerivedFactor extends FactorSelection {
  /** kg CO2e per unit (kWh per unit for `energy-use`), the full stored precision of the DESNZ cell. */
  value: number;
  /** DESNZ `Scope` column as written. */
  scope: string;
  /** DESNZ Level 1 › Level 2 › Level 3 › Level 4 › Column Text, empty levels left out. */
  path: string;
  /** 1-based line in the CSV (line 1 is the header; the xlsx row is this + 5, its header being on row 6). */
  line: number;
}

export interface FactorTableProvenance {
  title: string;
  publisher: string;
  version: string;
  year: number;
  file: string;
  sheet: string;
  rows: string;
  licence: string;
  attribution: string;
  generatedBy: string;
}

export interface FactorTable {
  provenance: FactorTableProvenance;
  factors: DerivedFactor[];
}

const HEADER = ['ID', 'Scope', 'Level 1', 'Level 2', 'Level 3', 'Level 4', 'Column Text', 'UOM', 'GHG/Unit'];

/**
 * Picks the selected rows out of the text of the DESNZ flat-file CSV (`ghg-conversion-factors-2023-flat-file.csv`).
 * Every selected ID must occur exactly once with the expected UOM and GHG unit, else a DataError names the row.
 */
export function deriveDesnzFactors(
  csvText: string,
  provenance: FactorTableProvenance,
  selection: readonly FactorSelection[] = DESNZ_2023_SELECTION,
): FactorTable {
  const file = provenance.file;
  const rows = parseCsv(csvText);
  const header = rows[0] ?? [];
  for (let i = 0; i < HEADER.length; i++)
    if (header[i] !== HEADER[i])
      throw new DataError('unexpected-header', `column ${i + 1} is "${header[i]}", expected "${HEADER[i]}"`, {
        file,
      });
  const valueColumn = header.findIndex((h) => h.startsWith('GHG Conversion Factor'));
  if (valueColumn < 0)
    throw new DataError('unexpected-header', 'no "GHG Conversion Factor <year>" column', { file });
  const byId = new Map<string, { row: string[]; line: number }[]>();
  rows.forEach((row, i) => {
    const list = byId.get(row[0]) ?? [];
    list.push({ row, line: i + 1 });
    byId.set(row[0], list);
  });
  const factors = selection.map((s): DerivedFactor => {
    const found = byId.get(s.desnzId) ?? [];
    if (found.length !== 1)
      throw new DataError(
        'factor-not-found',
        found.length
          ? `ID ${s.desnzId} occurs ${found.length} times`
          : `no row with ID ${s.desnzId} (${s.key})`,
        { file, featureId: s.desnzId },
      );
    const { row, line } = found[0];
    const where = { file, featureId: s.desnzId };
    if (row[7] !== s.uom)
      throw new DataError('unexpected-unit', `UOM is "${row[7]}", expected "${s.uom}" for ${s.key}`, where);
    if (row[8] !== s.ghgUnit)
      throw new DataError('unexpected-unit', `GHG/Unit is "${row[8]}", expected "${s.ghgUnit}"`, where);
    const value = Number(row[valueColumn]);
    if (row[valueColumn] === '' || !Number.isFinite(value) || value < 0)
      throw new DataError(
        'invalid-factor',
        `factor "${row[valueColumn]}" is not a non-negative number`,
        where,
      );
    return { ...s, value, scope: row[1], path: row.slice(2, 7).filter(Boolean).join(' › '), line };
  });
  return { provenance, factors };
}

/** Where the committed table comes from (the path is relative to the shared sample data folder). */
export const DESNZ_2023_PROVENANCE: FactorTableProvenance = {
  title: 'UK Government GHG Conversion Factors for Company Reporting 2023',
  publisher: 'Department for Energy Security and Net Zero (DESNZ) and Defra',
  version: 'flat file v1.1, status Final, updated 2023-06-20',
  year: 2023,
  file: 'energy/ghg-conversion-factors/ghg-conversion-factors-2023-flat-file.csv',
  sheet:
    "CSV conversion of sheet 'Factors by Category' of ghg-conversion-factors-2023-flat-file-update.xlsx (header on row 6)",
  rows: 'one row per factor: `desnzId` is the ID column, `line` the 1-based CSV line (xlsx row = line + 5)',
  licence: 'Open Government Licence v3.0',
  attribution:
    'Contains public sector information licensed under the Open Government Licence v3.0. Source: UK Government GHG Conversion Factors for Company Reporting 2023 (DESNZ/Defra).',
  generatedBy: 'scripts/data/carbon-factors.ts (deriveDesnzFactors in packages/carbon/src/desnz.ts)',
};
