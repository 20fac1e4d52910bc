import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HotPathRouter } from '../http/hot-path.router';

/**
 * Serves Swagger UI at /swagger (and /swagger/index.html) and the document at /swagger/json.
 * Controllers document themselves with decorators; hot-path routes carry their own `doc`.
 */
export function setupSwagger(app: INestApplication): void {
  const hotRoutes = app.get(HotPathRouter).registered().filter((route) => route.doc);
  const config = new DocumentBuilder()
    .setTitle('Switchyard')
    .setDescription('OpenAI- and Anthropic-compatible AI gateway. Point an official SDK\'s base URL here.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'SWITCHYARD_MASTER_KEY or a managed key' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: hotRoutes.flatMap((route) => route.doc!.models),
  });
  for (const route of hotRoutes) {
    document.paths[route.path] = { ...document.paths[route.path], [route.method.toLowerCase()]: route.doc!.operation };
  }
  SwaggerModule.setup('swagger', app, document, { jsonDocumentUrl: 'swagger/json', yamlDocumentUrl: 'swagger/yaml' });
}
