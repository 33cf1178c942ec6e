import { describe, expect, it } from 'vitest';
import { cellSizeFor, MAX_VIEW_CELLS, parseScoreMap, SCORE_COLOURS, scoreColour } from './fifteenMinute';

describe('15-minute score map in the viewer', () => {
  it('picks the finest cell size that keeps the grid within the cell budget', () => {
    // A town (~4 km square): 250 m cells (256). Rutland (~25 × 28 km): 500 m cells (2,800 ≤ 4,000).
    expect(cellSizeFor([-0.76, 52.65, -0.7, 52.686])).toBe(250);
    expect(cellSizeFor([-0.83, 52.52, -0.46, 52.77])).toBe(500);
    // Beyond 2 km × MAX_VIEW_CELLS: too big.
    expect(cellSizeFor([-3, 51, 1, 55])).toBeNull();
    expect(MAX_VIEW_CELLS).toBeGreaterThan(2800);
  });

  it('colours none of the services red and all of them green, in order', () => {
    expect(scoreColour(0, 7)).toBe(SCORE_COLOURS[0]);
    expect(scoreColour(7, 7)).toBe(SCORE_COLOURS[SCORE_COLOURS.length - 1]);
    const ks = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => SCORE_COLOURS.indexOf(scoreColour(n, 7)));
    expect(ks).toEqual([...ks].sort((a, b) => a - b));
    expect(new Set(ks).size).toBe(8);
  });

  it('reads cells from the map answer and refuses a broken one', () => {
    const map = parseScoreMap({
      time: '2024-05-15T08:00:00.000Z',
      limitMinutes: 15,
      cellM: 500,
      services: [{ id: 'food', label: 'Food shop' }],
      feeds: [],
      uncoveredCells: 2,
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [-0.7, 52.6],
                [-0.69, 52.6],
                [-0.69, 52.61],
                [-0.7, 52.61],
                [-0.7, 52.6],
              ],
            ],
          },
          properties: { score: 1, reachable: 1, mode: 'walk', missing: [] },
        },
      ],
    });
    expect(map.cells).toEqual([{ bbox: [-0.7, 52.6, -0.69, 52.61], score: 1, reachable: 1, mode: 'walk' }]);
    expect(() => parseScoreMap({ features: [{}], services: [] })).toThrow(/unexpected answer/);
  });
});
