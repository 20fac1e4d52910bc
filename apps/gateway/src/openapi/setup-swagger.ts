import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RouteTable } from '../pipeline/route-table';

/**
 * Serves Swagger UI at /swagger (and /swagger/index.html) and the document at /swagger/json.
 * Controllers document themselves with decorators; hot-path routes carry their own `doc`.
 */
export function setupSwagger(app: INestApplication): void {
  const hotRoutes = app
    .get(RouteTable)
    .all()
    .filter((route) => route.doc);
  const config = new DocumentBuilder()
    .setTitle('Switchyard')
    .setDescription("OpenAI- and Anthropic-compatible AI gateway. Point an official SDK's base URL here.")
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'SWITCHYARD_MASTER_KEY or a managed key' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: hotRoutes.flatMap((route) => route.doc!.models),
  });
  for (const route of hotRoutes) {
    document.paths[route.path] = { ...document.paths[route.path], [route.method.toLowerCase()]: route.doc!.operation };
  }
  redirectIndexHtml(app);
  SwaggerModule.setup('swagger', app, document, { jsonDocumentUrl: 'swagger/json', yamlDocumentUrl: 'swagger/yaml' });
}

/**
 * @nestjs/swagger 12 builds its page with asset URLs relative to `/swagger` (`./swagger/…`) and
 * serves that same page at /swagger/index.html, where they resolve to /swagger/swagger/… (404s,
 * a blank page). Its page for `/swagger/` uses `./…`, which resolves right, so index.html is sent
 * there. The target is relative so it survives a proxy mounting the gateway under a sub-path.
 * Registered before SwaggerModule.setup() so it wins over the library's own index.html route.
 */
function redirectIndexHtml(app: INestApplication): void {
  app.getHttpAdapter().get('/swagger/index.html', (request: Request, response: Response) => {
    const query = request.originalUrl.indexOf('?');
    response.redirect(302, query === -1 ? './' : `./${request.originalUrl.slice(query)}`);
  });
}
