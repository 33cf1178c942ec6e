/**
 * The committee report of a story as a PDF (pdfkit): a title page with the summary and the list of slides, one A4
 * landscape page per slide (its rendered image, caption, scene time and the indicators of its scenario against
 * the baseline), and a page of data sources, licences and the indicators' cited ratios.
 *
 * Pure layout: the caller reads the story, the images, the indicators and the sources; nothing here does I/O.
 */
import type { ScenarioIndicatorsResult, StoryRecord, StorySlide } from '@placetwin/db';
import PDFDocument from 'pdfkit';
import type { ReportSunHours } from './solar-store';

export interface ReportSlide {
  slide: StorySlide;
  /** The slide's rendered view (PNG or JPEG bytes), or null when none was sent. */
  image: Uint8Array | null;
  /** The scenario on show and its indicators against the baseline, or null for the baseline. */
  indicators: ScenarioIndicatorsResult | null;
  /** The carbon of the scenario's development (see `/api/scenarios/:id/carbon`), or null. */
  carbon?: ReportCarbon | null;
  /** The result of the slide's sun-hours request, or null when the slide carries none. */
  sunHours?: ReportSunHours | null;
}

/** What every sun-hours section says about how the figures were made. */
export const SUN_HOURS_METHOD =
  "Method: hours of direct sun counted on a grid over the open ground of the area on the day, sun positions by NREL's Solar Position Algorithm, the buildings' shadows as prisms of their footprints and heights on flat ground (no trees, walls or terrain; most heights estimated). Guidance: BRE 209 (2022), Site layout planning for daylight and sunlight, 3.3: at least half of a garden or amenity area should get at least 2 hours of sun on 21 March, and not less than 0.8 times its former value.";

const percent = (share: number) => `${Math.round(share * 100)}%`;
const longDay = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** The heading and lines a slide prints for its sun-hours result (BRE 209 in plain words, then the method). */
export function sunHoursLines(r: ReportSunHours): { heading: string; lines: string[] } {
  const heading = `Sun on the ${r.areaName} (BRE 209)`;
  if (r.status !== 'done') {
    const what = r.status === 'pending' ? 'not ready' : 'could not be computed';
    return { heading, lines: [`Sun-hours on ${longDay(r.date)} ${what}: ${r.detail}`] };
  }
  const lines = [
    `Day: ${longDay(r.date)}. Threshold: at least 2 hours of direct sun. Grid ${whole.format(r.cellSizeM)} m, every ${r.stepMinutes} min; ${whole.format(r.areaM2)} m² of open ground.`,
  ];
  if (r.scenario && r.shareBefore !== null) {
    lines.push(
      `Area with at least 2 hours: ${percent(r.shareBefore)} before, ${percent(r.shareAfter)} after (scenario "${r.scenario.name}", version ${r.scenario.version}).`,
    );
    lines.push(
      r.ratio === null
        ? 'Sunlit area after ÷ before: no ratio, as no part had 2 hours before.'
        : `Sunlit area after ÷ before: ${r.ratio.toFixed(2)} (BRE 209: at least 0.80).`,
    );
  } else {
    lines.push(
      `Area with at least 2 hours: ${percent(r.shareAfter)} (the city as it is; no scenario compared).`,
    );
  }
  const b = r.bre209;
  if (!b) {
    lines.push(`BRE 209: not assessed. Its garden test is made for 21 March, not ${longDay(r.date)}.`);
  } else if (b.meetsGuidance && b.meetsTwoHourTest) {
    lines.push(
      `BRE 209: PASS. At least half of the ${r.areaName} gets 2 hours of sun or more on 21 March${r.scenario ? ' with the development' : ''}.`,
    );
  } else if (b.meetsGuidance) {
    lines.push(
      `BRE 209: PASS. Less than half of the ${r.areaName} gets 2 hours of sun on 21 March, but the sunlit area is at least 0.8 times its former value.`,
    );
  } else if (r.scenario) {
    lines.push(
      `BRE 209: FAIL. Less than half of the ${r.areaName} gets 2 hours of sun on 21 March with the development, and the sunlit area falls below 0.8 times its former value.`,
    );
  } else {
    lines.push(`BRE 209: FAIL. Less than half of the ${r.areaName} gets 2 hours of sun on 21 March.`);
  }
  lines.push(SUN_HOURS_METHOD);
  return { heading, lines };
}

/** The few carbon figures a slide prints (tCO2e), with the basis and sources they rest on. */
export interface ReportCarbon {
  completionYear: number;
  embodiedT: number;
  /** Buildings in use and car traffic of the new homes, in `annualYear`. */
  annualT: number | null;
  /** Of the buildings in use in `annualYear`: heating (fuel, or heat pumps) and the rest of their electricity. */
  heatingT?: number | null;
  electricityT?: number | null;
  annualYear: number;
  cumulativeT: number;
  endYear: number;
  vehicleKm: number;
  basis: string;
  /** Where the figures come from, for the sources page. */
  sources: string[];
}

const tonnes = (t: number) => `${Math.round(t).toLocaleString('en-GB')} tCO2e`;
const signedTonnes = (t: number) => `${t >= 0 ? '+' : '-'}${tonnes(Math.abs(t))}`;

/** The sentence a slide prints about its development's carbon. */
export function carbonLine(c: ReportCarbon): string {
  const annual =
    c.annualT === null
      ? ''
      : ` ${signedTonnes(c.annualT)} a year in ${c.annualYear} from its buildings in use${
          c.heatingT != null && c.electricityT != null
            ? ` (heating ${signedTonnes(c.heatingT)}, electricity ${signedTonnes(c.electricityT)})`
            : ''
        } and its homes' car traffic (${Math.round(c.vehicleKm).toLocaleString('en-GB')} vehicle-km a year);`;
  return `Carbon of the development (${c.basis}, complete in ${c.completionYear}): ${tonnes(c.embodiedT)} embodied;${annual} ${signedTonnes(c.cumulativeT)} to ${c.endYear} in all.`;
}

export interface ReportSource {
  title: string;
  source: string;
  licence: string;
  attribution: string;
  vintage: string | null;
}

export interface StoryReportInput {
  story: Pick<StoryRecord, 'id' | 'title' | 'summary' | 'status' | 'version' | 'updatedAt'>;
  slides: ReportSlide[];
  sources: ReportSource[];
  /** Who made the report, for the footer (e.g. the council's name). */
  publisher: string;
  generatedAt: Date;
}

const MARGIN = 40;

interface PictureSize {
  width: number;
  height: number;
}
const INK = '#0b0c0c';
const MUTED = '#505a5f';

/**
 * The 14 standard PDF fonts cover Windows-1252 only: characters outside it would print as garbage, so they are
 * replaced by their nearest plain equivalent (the minus sign by a hyphen) or a question mark.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function pdfSafe(text: string): string {
  return text
    .replaceAll('\u2212', '-')
    .replaceAll('\u2009', ' ')
    .replaceAll('\u202f', ' ')
    .replace(/[^\n\t\u0020-\u007e\u00a0-\u00ff]/gu, (c) => (WIN_ANSI_EXTRA.has(c) ? c : '?'));
}

const ukTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  dateStyle: 'long',
  timeStyle: 'short',
});
const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDp = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const signed = (n: number, f = whole) => (n > 0 ? `+${f.format(n)}` : n < 0 ? `-${f.format(-n)}` : '0');

/** The indicator rows printed for a slide's scenario: label, baseline, scenario, change. */
export function indicatorRows(i: ScenarioIndicatorsResult): [string, string, string, string][] {
  const pct = (v: number | null) => (v === null ? 'n/a' : `${oneDp.format(v * 100)}%`);
  const coverageChange =
    i.scenario.coverage === null || i.baseline.coverage === null
      ? 'n/a'
      : `${signed((i.scenario.coverage - i.baseline.coverage) * 100, oneDp)} points`;
  return [
    [
      'Buildings',
      whole.format(i.baseline.buildings),
      whole.format(i.scenario.buildings),
      signed(i.delta.buildings),
    ],
    [
      'Floor area (m²)',
      whole.format(i.baseline.gfaM2.total),
      whole.format(i.scenario.gfaM2.total),
      signed(i.delta.gfaM2.total),
    ],
    [
      'Homes (estimated)',
      whole.format(i.baseline.homes),
      whole.format(i.scenario.homes),
      signed(i.delta.homes),
    ],
    ['Jobs (estimated)', whole.format(i.baseline.jobs), whole.format(i.scenario.jobs), signed(i.delta.jobs)],
    [
      'Tallest building (m)',
      oneDp.format(i.baseline.maxHeightM),
      oneDp.format(i.scenario.maxHeightM),
      signed(i.delta.maxHeightM, oneDp),
    ],
    ['Site covered by buildings', pct(i.baseline.coverage), pct(i.scenario.coverage), coverageChange],
  ];
}

/** Lays the report out; resolves with the PDF's bytes. */
export function storyReportPdf(input: StoryReportInput): Promise<Buffer> {
  const { story } = input;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: {
      Title: pdfSafe(story.title),
      Subject: 'Committee report',
      Creator: 'Placetwin',
      Producer: 'Placetwin (pdfkit)',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const footer = (page: string) => {
    const y = doc.page.height - MARGIN + 10;
    // Below the bottom margin, where pdfkit would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(pdfSafe(`${input.publisher} · ${story.title} · ${page}`), MARGIN, y, {
        width,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
    doc.fillColor(INK);
  };

  // Title page.
  doc.font('Helvetica-Bold').fontSize(26).fillColor(INK).text(pdfSafe(story.title), { width });
  doc.moveDown(0.4);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(MUTED)
    .text(
      pdfSafe(
        `Committee report · ${story.status === 'published' ? 'published' : 'draft'} story, version ${story.version} · generated ${ukTime.format(input.generatedAt)} (UK time)`,
      ),
      { width },
    );
  doc.moveDown(1).fillColor(INK);
  if (story.summary) doc.font('Helvetica').fontSize(12).text(pdfSafe(story.summary), { width, lineGap: 2 });
  doc.moveDown(1);
  doc.font('Helvetica-Bold').fontSize(13).text('Slides');
  doc.moveDown(0.3);
  input.slides.forEach((s, i) => {
    doc
      .font('Helvetica')
      .fontSize(11)
      .text(pdfSafe(`${i + 1}. ${s.slide.title}`), { width, indent: 10 });
  });
  footer('page 1');

  // One page per slide.
  input.slides.forEach((s, i) => {
    doc.addPage();
    doc
      .font('Helvetica-Bold')
      .fontSize(18)
      .fillColor(INK)
      .text(pdfSafe(`${i + 1}. ${s.slide.title}`), MARGIN, MARGIN, { width });
    const when = ukTime.format(new Date(s.slide.time));
    const showing = s.indicators
      ? `${s.slide.compare ? 'Baseline compared with' : 'Scenario'} "${s.indicators.name}" (${s.indicators.status})`
      : 'Baseline (the city as it is)';
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(
        pdfSafe(`${showing} · scene time ${when} (UK time)${s.slide.shadows ? ' · sun shadows on' : ''}`),
        {
          width,
        },
      );
    doc.fillColor(INK);
    const imageTop = doc.y + 6;
    // A slide with a sun-hours result keeps the space under its picture for it.
    const sunBlock = s.sunHours ? 150 : 0;
    const imageBox: [number, number] = [width * 0.62, doc.page.height - imageTop - MARGIN - 20 - sunBlock];
    let imageBottom = imageTop + imageBox[1];
    if (s.image) {
      // pdfkit's openImage (documented; missing from @types/pdfkit) reads the size the fit is worked out from.
      const picture = (doc as unknown as { openImage(src: Buffer): PictureSize }).openImage(
        Buffer.from(s.image),
      );
      doc.image(picture as unknown as Buffer, MARGIN, imageTop, { fit: imageBox });
      imageBottom =
        imageTop + picture.height * Math.min(imageBox[0] / picture.width, imageBox[1] / picture.height);
    } else {
      doc.rect(MARGIN, imageTop, imageBox[0], imageBox[1] / 2).stroke(MUTED);
      doc
        .fontSize(10)
        .fillColor(MUTED)
        .text('No image was rendered for this slide.', MARGIN + 10, imageTop + 10, {
          width: imageBox[0] - 20,
        });
      doc.fillColor(INK);
    }
    const sideX = MARGIN + imageBox[0] + 16;
    const sideWidth = width - imageBox[0] - 16;
    doc.x = sideX;
    doc.y = imageTop;
    if (s.slide.text)
      doc
        .font('Helvetica')
        .fontSize(11)
        .text(pdfSafe(s.slide.text), sideX, imageTop, { width: sideWidth, lineGap: 2 });
    if (s.indicators) {
      doc.moveDown(1);
      doc
        .font('Helvetica-Bold')
        .fontSize(11)
        .text(pdfSafe(`Indicators over the ${s.indicators.studyArea ? 'site' : 'dataset'}`), sideX, doc.y, {
          width: sideWidth,
        });
      doc.moveDown(0.3);
      const cols = [sideWidth * 0.4, sideWidth * 0.2, sideWidth * 0.2, sideWidth * 0.2];
      const row = (cells: string[], bold: boolean) => {
        const y = doc.y;
        let x = sideX;
        cells.forEach((c, k) => {
          doc
            .font(bold ? 'Helvetica-Bold' : 'Helvetica')
            .fontSize(8.5)
            .text(pdfSafe(c), x, y, { width: cols[k] - 4, align: k === 0 ? 'left' : 'right' });
          x += cols[k];
        });
        doc.y = Math.max(doc.y, y + 12);
      };
      row(['', 'Baseline', 'Scenario', 'Change'], true);
      for (const r of indicatorRows(s.indicators)) row(r, false);
      doc.moveDown(0.5);
      doc
        .font('Helvetica')
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(
          'Homes and jobs are estimated from floor area with the cited ratios listed under Sources.',
          sideX,
          doc.y,
          {
            width: sideWidth,
          },
        );
      doc.fillColor(INK);
    }
    if (s.carbon) {
      doc.moveDown(0.8);
      doc
        .font('Helvetica')
        .fontSize(9.5)
        .text(pdfSafe(carbonLine(s.carbon)), sideX, doc.y, { width: sideWidth });
    }
    if (s.sunHours) {
      const { heading, lines } = sunHoursLines(s.sunHours);
      // Under the picture as drawn (a wide picture leaves room below its box's height).
      const y0 = (s.image ? imageBottom : imageTop + imageBox[1] / 2) + 12;
      doc
        .font('Helvetica-Bold')
        .fontSize(10.5)
        .fillColor(INK)
        .text(pdfSafe(heading), MARGIN, y0, { width: imageBox[0] });
      doc.moveDown(0.2);
      lines.forEach((line, k) => {
        const method = k === lines.length - 1 && line === SUN_HOURS_METHOD;
        doc
          .font(line.startsWith('BRE 209:') ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(method ? 7 : 8.5)
          .fillColor(method ? MUTED : INK)
          .text(pdfSafe(line), MARGIN, doc.y, { width: imageBox[0] });
      });
      doc.fillColor(INK);
    }
    footer(`slide ${i + 1} of ${input.slides.length}`);
  });

  // Sources and attributions.
  doc.addPage();
  doc.font('Helvetica-Bold').fontSize(18).text('Data sources and attributions', MARGIN, MARGIN, { width });
  doc.moveDown(0.5);
  for (const s of input.sources) {
    doc.font('Helvetica-Bold').fontSize(11).text(pdfSafe(s.title), { width });
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        pdfSafe(
          `${s.attribution}. Licence: ${s.licence}${s.licence.startsWith('ODbL') ? ' (Open Database License 1.0, opendatacommons.org/licenses/odbl)' : ''}. Source: ${s.source}${s.vintage ? `, ${s.vintage}` : ''}.`,
        ),
        { width },
      );
    doc.moveDown(0.5);
  }
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      'Basemap: © OpenStreetMap contributors, ODbL 1.0, drawn by Placetwin from the imported extract. Globe imagery: Natural Earth II (public domain), shipped with CesiumJS.',
      { width },
    );
  const ratios = new Map(input.slides.flatMap((s) => s.indicators?.ratios ?? []).map((r) => [r.id, r]));
  if (ratios.size > 0) {
    doc.moveDown(1);
    doc.font('Helvetica-Bold').fontSize(13).text('Ratios behind the estimates', { width });
    doc.moveDown(0.3);
    for (const r of ratios.values()) {
      doc
        .font('Helvetica')
        .fontSize(9)
        .text(pdfSafe(`${r.description}: ${r.value} ${r.unit} (${r.kind}). ${r.source}`), { width });
      doc.moveDown(0.2);
    }
  }
  const carbonSources = [...new Set(input.slides.flatMap((s) => s.carbon?.sources ?? []))];
  if (carbonSources.length > 0) {
    doc.moveDown(1);
    doc.font('Helvetica-Bold').fontSize(13).text('Behind the carbon figures', { width });
    doc.moveDown(0.3);
    for (const line of carbonSources) {
      doc.font('Helvetica').fontSize(9).text(pdfSafe(line), { width });
      doc.moveDown(0.2);
    }
  }
  footer('sources');
  doc.end();
  return done;
}
