/**
 * Welsh and English: which languages an area's public site is served in (`areas.languages`, the first the
 * default) and the Welsh versions of a consultation's planner-written texts (migration 011). Read beside the
 * public consultation queries, so those stay as they are.
 */
import { DataError } from '@placetwin/geo';
import { CONSULTATION_LIMITS } from './consultations';
import type { Db } from './db';

export type SiteLanguage = 'en' | 'cy';
export const SITE_LANGUAGES: readonly SiteLanguage[] = ['en', 'cy'];
export const isSiteLanguage = (v: unknown): v is SiteLanguage => v === 'en' || v === 'cy';

export interface AreaLanguages {
  areaId: string;
  name: string;
  nameCy: string | null;
  /** The languages the public site is served in; the first is the default. */
  languages: SiteLanguage[];
}

/** The languages of an area, or null when there is no such area. */
export async function getAreaLanguages(db: Db, areaId: string): Promise<AreaLanguages | null> {
  const r = await db.query<AreaLanguages>(
    `SELECT id AS "areaId", name, name_cy AS "nameCy", languages FROM areas WHERE id = $1`,
    [areaId],
  );
  return r.rows[0] ?? null;
}

export interface ConsultationWelsh extends AreaLanguages {
  consultationId: number;
  titleCy: string | null;
  summaryCy: string | null;
  privacyNoticeCy: string | null;
}

/** The Welsh texts and the area's languages of each consultation asked for (any status: callers filter). */
export async function getConsultationsWelsh(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, ConsultationWelsh>> {
  if (ids.length === 0) return new Map();
  const r = await db.query<ConsultationWelsh>(
    `SELECT c.id AS "consultationId", c.title_cy AS "titleCy", c.summary_cy AS "summaryCy",
       c.privacy_notice_cy AS "privacyNoticeCy", a.id AS "areaId", a.name, a.name_cy AS "nameCy", a.languages
     FROM consultations c JOIN areas a ON a.id = c.area_id WHERE c.id = ANY($1::int[])`,
    [ids],
  );
  return new Map(r.rows.map((row) => [row.consultationId, row]));
}

export interface ConsultationWelshInput {
  /** null removes the Welsh text (the Welsh page then shows the English, marked lang="en"). */
  titleCy?: string | null;
  summaryCy?: string | null;
  privacyNoticeCy?: string | null;
}

const checkWelsh = (field: string, v: unknown, max: number): string | null => {
  if (v === null) return null;
  const t = typeof v === 'string' ? v.trim() : '';
  if (t.length < 1 || t.length > max) {
    throw new DataError('invalid-consultation', `${field} must be 1–${max} characters, or null`);
  }
  return t;
};

/** Sets (or with null removes) a consultation's Welsh title, summary and privacy notice; false: no such consultation. */
export async function setConsultationWelsh(
  db: Db,
  id: number,
  input: ConsultationWelshInput,
): Promise<boolean> {
  const L = CONSULTATION_LIMITS;
  const sets: string[] = [];
  const values: unknown[] = [id];
  const add = (column: string, value: string | null) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (input.titleCy !== undefined) add('title_cy', checkWelsh('titleCy', input.titleCy, L.titleMax));
  if (input.summaryCy !== undefined)
    add('summary_cy', checkWelsh('summaryCy', input.summaryCy, L.summaryMax));
  if (input.privacyNoticeCy !== undefined)
    add('privacy_notice_cy', checkWelsh('privacyNoticeCy', input.privacyNoticeCy, L.privacyNoticeMax));
  if (sets.length === 0) {
    const r = await db.query('SELECT 1 FROM consultations WHERE id = $1', [id]);
    return r.rows.length > 0;
  }
  const r = await db.query(
    `UPDATE consultations SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING id`,
    values,
  );
  return r.rows.length > 0;
}

/** Sets an area's languages (the first is the default) and its Welsh name. */
export async function setAreaLanguages(
  db: Db,
  areaId: string,
  languages: readonly string[],
  nameCy?: string | null,
): Promise<boolean> {
  if (
    languages.length === 0 ||
    !languages.every(isSiteLanguage) ||
    new Set(languages).size !== languages.length
  ) {
    throw new DataError('invalid-area', 'languages must be one or more of "en" and "cy", each once');
  }
  const r = await db.query(
    `UPDATE areas SET languages = $2::text[], name_cy = CASE WHEN $3::boolean THEN $4 ELSE name_cy END,
       updated_at = now() WHERE id = $1 RETURNING id`,
    [areaId, languages, nameCy !== undefined, nameCy ?? null],
  );
  return r.rows.length > 0;
}
