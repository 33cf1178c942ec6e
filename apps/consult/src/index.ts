export { type Branding, brandCss, contrastRatio, textColourOn } from './branding';
export {
  CATEGORY_LABELS,
  describeChanges,
  type FactRow,
  factRows,
  formatHectares,
  paragraphs,
  ukDate,
  ukDateTime,
  ukTime,
} from './format';
export { CATALOGUES, type Lang, LOCALES, type MessageKey, messageLiterals, translate } from './i18n';
export { type StaffJob, StaffJobRefused, type StaffJobs } from './jobs';
export { type ConsultSiteOptions, consultCsp, consultSite, DEFAULT_COUNCIL_NAME, SERVICE_NAME } from './site';
export { CSRF_FIELD, type StaffAuth } from './staff';
export { GOVUK_VERSION } from './styles';
