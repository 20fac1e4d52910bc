import { Module } from '@nestjs/common';
import { AuthKeysController } from './auth-keys.controller';

/** /admin/auth-keys: managed API keys (KeysService comes from the global KeysModule). */
@Module({ controllers: [AuthKeysController] })
export class AuthKeysModule {}
