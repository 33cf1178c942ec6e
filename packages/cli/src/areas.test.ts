import { describe, expect, it } from 'vitest';
import { areaOption, parseAreaArgs } from './areas';

describe('area command arguments', () => {
  it('converts the options of `area add --id leeds --lad17cd E08000035 …`', () => {
    expect(
      parseAreaArgs(
        {
          id: 'leeds',
          lad17cd: 'E08000035',
          languages: 'en, cy',
          privacyContact: 'dpo@leeds.gov.uk',
          camera: '-1.55,53.75,9000',
          retentionDays: '730',
          primaryColour: '#00703c',
        },
        { requireDistrict: true },
      ),
    ).toEqual({
      id: 'leeds',
      lad17cd: 'E08000035',
      settings: {
        languages: ['en', 'cy'],
        privacyContact: 'dpo@leeds.gov.uk',
        // Heading and pitch default to north and 45° down when only lon,lat,height are given.
        camera: { lon: -1.55, lat: 53.75, height: 9000, heading: 0, pitch: -45 },
        retentionDays: 730,
        colours: { primary: '#00703c', secondary: undefined },
      },
    });
  });

  it('names the option at fault', () => {
    const bad: [Parameters<typeof parseAreaArgs>[0], RegExp][] = [
      [{ id: 'Leeds' }, /area id/],
      [{ id: 'l' }, /area id/],
      [{ id: 'leeds', lad17cd: 'E0800003' }, /--lad17cd/],
      [{ id: 'leeds', lad17cd: 'X08000035' }, /--lad17cd/],
      [{ id: 'leeds', languages: 'en,fr' }, /language "fr"/],
      [{ id: 'leeds', languages: ' , ' }, /at least one language/],
      [{ id: 'leeds', camera: '-1.5,53.8' }, /camera/],
      [{ id: 'leeds', camera: '-1.5,53.8,900,0,30' }, /pitch/],
      [{ id: 'leeds', camera: '-1.5,953.8,900' }, /lat/],
      [{ id: 'leeds', retentionDays: '0' }, /--retention-days/],
      [{ id: 'leeds', retentionDays: '3651' }, /--retention-days/],
      [{ id: 'leeds', retentionDays: '12.5' }, /--retention-days/],
    ];
    for (const [args, message] of bad)
      expect(() => parseAreaArgs(args), JSON.stringify(args)).toThrow(message);
  });

  it('needs a district to add an area, except to give the first area (`default`) settings', () => {
    expect(() => parseAreaArgs({ id: 'leeds' }, { requireDistrict: true })).toThrow(/--lad17cd is required/);
    expect(parseAreaArgs({ id: 'default', name: 'Rutland' }, { requireDistrict: true })).toEqual({
      id: 'default',
      lad17cd: null,
      settings: { name: 'Rutland' },
    });
  });

  it('`--area` defaults to the first area and refuses a malformed id', () => {
    expect(areaOption(undefined)).toBe('default');
    expect(areaOption('leeds')).toBe('leeds');
    expect(() => areaOption('../etc')).toThrow(/area id/);
  });
});
