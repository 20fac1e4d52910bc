import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayError } from '@app/core';
import type { Response } from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Public } from '../../auth/auth.decorators';

// Built by apps/dashboard/build.mjs (part of `npm run build`); the gateway runs from the repo root.
const DASHBOARD_DIR = join(process.cwd(), 'dist', 'dashboard');
const ASSET_NAME = /^[A-Za-z0-9_-]+\.(js|css)$/;
const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
// The page loads only its own bundled script and stylesheet and talks only to this origin's admin API.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The operator dashboard's static files, public (the page holds no data: every figure comes from
 * the admin API with the key the operator types in). Only these two paths are public under /admin.
 */
@Public()
@ApiExcludeController()
@Controller('admin/dashboard')
export class DashboardController {
  @Get()
  async index(@Res() response: Response): Promise<void> {
    const html = await this.read('index.html');
    // no-cache: a new build's index names new hashed assets.
    response.set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' });
    response.send(html);
  }

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res() response: Response): Promise<void> {
    const match = ASSET_NAME.exec(file);
    if (!match) throw new GatewayError('not_found', `No dashboard asset named ${JSON.stringify(file.slice(0, 80))}.`);
    const body = await this.read(join('assets', file));
    // Asset names carry their content hash, so they never change: cache them for a year.
    response.set({ 'content-type': CONTENT_TYPES[match[1]], 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    response.send(body);
  }

  private async read(relative: string): Promise<Buffer> {
    try {
      return await readFile(join(DASHBOARD_DIR, relative));
    } catch {
      throw new GatewayError('not_found', `The dashboard file ${relative} is not built: run "npm run build" (it bundles apps/dashboard into dist/dashboard).`);
    }
  }
}
