import { describe, expect, it } from 'vitest';
import { MAX_DRAG_STOREYS, storeysFromDrag } from './heightDrag';

describe('storeysFromDrag', () => {
  it('reads the pointer’s travel in metres at the building and snaps to 3 m storeys', () => {
    // 12 m (4 storeys), 2 px a metre: 30 px up is 15 m more, 27 m = 9 storeys.
    expect(storeysFromDrag(12, 30, 2)).toBe(9);
    // 10 px down is 5 m less: 7 m rounds to 2 storeys (6 m), not 3.
    expect(storeysFromDrag(12, -10, 2)).toBe(2);
    expect(storeysFromDrag(12, 0, 2)).toBe(4);
  });
  it('keeps at least one storey and at most the limit', () => {
    expect(storeysFromDrag(12, -1000, 2)).toBe(1);
    expect(storeysFromDrag(12, 1e6, 2)).toBe(MAX_DRAG_STOREYS);
  });
});
