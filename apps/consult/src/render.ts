import type { FastifyReply, FastifyRequest } from 'fastify';

/** Renders a Nunjucks page of the site (the staff, jobs and privacy pages are handed the site's renderer). */
export type Render = (
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  status?: number,
) => FastifyReply;

/** What a staff error page says: its title, its lines, and where to go back to. */
export interface ErrorPage {
  title: string;
  lines: string[];
  backLink?: { href: string; text: string };
}

/**
 * A staff page's refusal (`error.njk`, with the member of staff's header): the one way the jobs and privacy pages
 * say why an action was not done.
 */
export const renderError = (
  render: Render,
  request: FastifyRequest,
  reply: FastifyReply,
  staffContext: Record<string, unknown>,
  page: ErrorPage,
  status = 409,
): FastifyReply =>
  render(
    request,
    reply,
    'error.njk',
    {
      ...staffContext,
      pageTitle: page.title,
      lines: page.lines,
      ...(page.backLink ? { backLink: page.backLink } : {}),
    },
    status,
  );
