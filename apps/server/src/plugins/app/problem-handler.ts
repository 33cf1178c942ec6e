import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem, notFound, type Problem, toProblem } from './problems';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Paths that belong to the machine-facing API: a miss there is a problem body, never the viewer page. */
const API_PREFIXES = ['/api/', '/tilesets/', '/basemap/', '/docs/'];
export const isApiPath = (url: string): boolean => {
  const path = url.split('?')[0];
  return API_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1));
};

export interface ProblemHandlerOptions {
  /** Answers a GET for a page path that no route matched (the viewer's client-side routes). */
  pageFallback: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> | unknown;
}

export const sendProblem = (reply: FastifyReply, problem: Problem): FastifyReply =>
  reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);

/**
 * One error handler for the whole app: every error leaves as `application/problem+json` with a stable `type`;
 * bugs are logged with the request id and leak nothing. Unknown API paths are problems too; unknown page
 * paths go to the viewer, which routes on the client.
 */
async function problemHandler(app: FastifyInstance, options: ProblemHandlerOptions) {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, { url: request.url, requestId: String(request.id) });
    // 503 while starting is expected (health polls until the sample is loaded): not an error worth a stack.
    if (problem.status >= 500 && problem.status !== 503) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected');
    if (error instanceof HttpProblem) reply.headers(error.headers);
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const wantsPage = request.method === 'GET' || request.method === 'HEAD';
    // A missing file (`/assets/x.js`) must be a 404, not index.html: a script answered with HTML fails obscurely.
    const looksLikeFile = /\.[A-Za-z0-9]+$/.test(path);
    if (wantsPage && !looksLikeFile && !isApiPath(request.url)) return options.pageFallback(request, reply);
    return sendProblem(
      reply,
      toProblem(notFound(`no resource at ${request.method} ${path}`), {
        url: request.url,
        requestId: String(request.id),
      }),
    );
  });
}

export default fp(problemHandler, { name: 'problem-handler' });
