/**
 * Each council's branding on the public site: its name (Welsh on Welsh pages when it has one), its logo, its
 * colours and the contact its privacy notice gives, from the area's settings (`placetwin area add|set`, the staff
 * Area settings page).
 *
 * The colours reach the page as CSS custom properties in a small per-area stylesheet (the site's Content Security
 * Policy allows no inline styles), which the site's own rules (static/consult.scss) use with GOV.UK defaults as
 * fallbacks. The header's text colour is chosen for the council's colour, black or white, whichever contrasts
 * more: one of the two always reaches WCAG's 4.5:1 whatever the colour.
 */
import { createHash } from 'node:crypto';
import { type Area, type AreaColours, type Db, getArea } from '@placetwin/db';

export interface Branding {
  areaId: string;
  name: string;
  nameCy: string | null;
  /** A logo on this site (a path): the public site fetches nothing from other hosts, so an https:// logo is not shown. */
  logoUrl: string | null;
  privacyContact: string | null;
  /** The area's stylesheet file (under the site's `/assets/css/`), or null when it sets no colours. */
  cssFile: string | null;
}

/** WCAG 2.2 relative luminance of `#rrggbb`. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2.2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white text, whichever contrasts more with `background` (at least 4.58:1 for any colour). */
export const textColourOn = (background: string): '#000000' | '#ffffff' =>
  contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';

/** The area's colours as CSS custom properties (empty when it has none). */
export function brandCss(colours: AreaColours): string {
  const lines: string[] = [];
  if (colours.primary) {
    lines.push(
      `--app-brand-primary: ${colours.primary};`,
      `--app-brand-on-primary: ${textColourOn(colours.primary)};`,
    );
  }
  if (colours.secondary) lines.push(`--app-brand-secondary: ${colours.secondary};`);
  return lines.length ? `:root {\n  ${lines.join('\n  ')}\n}\n` : '';
}

const BRAND_FILE = /^brand-([a-z][a-z0-9-]{1,39})-([0-9a-f]{12})\.css$/;

/** The stylesheet's file name: the area and a hash of its CSS, so a change of colours is a new URL. */
export const brandCssFile = (areaId: string, css: string): string =>
  `brand-${areaId}-${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;

export function branding(area: Area): Branding {
  const css = brandCss(area.colours ?? {});
  return {
    areaId: area.id,
    name: area.name,
    nameCy: area.nameCy,
    logoUrl: area.logoUrl?.startsWith('/') && !area.logoUrl.startsWith('//') ? area.logoUrl : null,
    privacyContact: area.privacyContact,
    cssFile: css ? brandCssFile(area.id, css) : null,
  };
}

export async function readBranding(db: Db, areaId: string): Promise<Branding | null> {
  const area = await getArea(db, areaId);
  return area ? branding(area) : null;
}

/** The CSS for a `brand-<area>-<hash>.css` file name, or null when the name is not the area's current one. */
export async function brandCssFor(db: Db, file: string): Promise<string | null> {
  const m = BRAND_FILE.exec(file);
  if (!m) return null;
  const area = await getArea(db, m[1]);
  if (!area) return null;
  const css = brandCss(area.colours ?? {});
  return css && brandCssFile(area.id, css) === file ? css : null;
}
