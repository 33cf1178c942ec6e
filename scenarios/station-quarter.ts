/**
 * Oakham station quarter, option A — an ILLUSTRATIVE scenario, not a real proposal.
 *
 * Redevelops the Station Approach yard beside Oakham railway station (Rutland): the builders' merchant's shed and
 * the unnamed yard building north of it are demolished, and three blocks of flats and offices and a small café
 * take their place. The site is the OpenStreetMap land-use area "Station Approach" (way 891551784); buildings are
 * the baseline `rutland` dataset imported from ../shared/data/rutland (© OpenStreetMap contributors, ODbL).
 * Footprints are plausible sizes on real coordinates, drawn for this example.
 *
 *   npx placetwin run scenarios/station-quarter.ts --out out/
 *
 * stores the scenario (or updates it: the change list below is the whole scenario), builds its overlay tiles, and
 * writes out/oakham-station-quarter-option-a-illustrative.{json,csv}, with one row per variant of the sweep.
 */
import { createScenario, range } from '@placetwin/scenario';

/** A rectangle from its west, south, east and north edges (degrees, EPSG:4326). */
const box = (west: number, south: number, east: number, north: number) => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
];

const scenario = createScenario({
  dataset: 'rutland',
  name: 'Oakham station quarter, option A (illustrative)',
  description:
    'Illustrative redevelopment of the Station Approach yard by Oakham station: flats, offices and a café ' +
    'replace two yard buildings. Not a real proposal.',
  // OSM way 891551784, landuse=industrial "Station Approach".
  site: [
    [-0.733702, 52.6750388],
    [-0.7338158, 52.6748003],
    [-0.7339741, 52.6741286],
    [-0.7340411, 52.6738261],
    [-0.7339929, 52.6733756],
    [-0.7338641, 52.6730292],
    [-0.7336762, 52.6729514],
    [-0.7335957, 52.6729905],
    [-0.7335206, 52.6730539],
    [-0.7334884, 52.6730913],
    [-0.7334697, 52.6731482],
    [-0.733467, 52.6731824],
    [-0.7331928, 52.6731844],
    [-0.7331389, 52.6737812],
    [-0.7330261, 52.6748372],
  ],
})
  .demolish('rutland:w178280261', 'rutland:w178280264') // Travis Perkins; the unnamed yard building north of it
  .addBuilding({
    id: 'block-a',
    name: 'Block A, Station Approach North',
    footprint: box(-0.7338, 52.67384, -0.73332, 52.67397), // ~32 × 14 m
    use: 'residential',
    storeys: 4,
  })
  .addBuilding({
    id: 'block-b',
    name: 'Block B, the yard',
    footprint: box(-0.73341, 52.67324, -0.73321, 52.67362), // ~14 × 42 m
    use: 'residential',
    storeys: 3,
  })
  .addBuilding({
    id: 'block-c',
    name: 'Block C, station offices',
    footprint: box(-0.73384, 52.67312, -0.73364, 52.6733), // ~14 × 20 m
    use: 'commercial',
    storeys: 3,
  })
  .addBuilding({
    id: 'cafe',
    name: 'Station café',
    footprint: box(-0.7336, 52.67335, -0.73348, 52.67344), // ~8 × 10 m
    use: 'retail',
    heightM: 4.5,
  })
  .setUse('rutland:w178280263', 'commercial'); // the yard's northern shed converted to workspace

export default scenario;

/** How many homes and how tall, as Block A rises from 3 to 12 storeys. */
export const variants = scenario.sweep({ blockAStoreys: range(3, 12) }, (v, { blockAStoreys }) =>
  v.modify('new/block-a', { storeys: blockAStoreys }),
);
