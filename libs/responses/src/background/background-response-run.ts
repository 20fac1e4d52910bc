import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { BudgetsService, PricingService } from '@app/governance';
import { endSpan, GatewayMetrics } from '@app/observability';
import type { ResolvedTarget } from '@app/providers';
import { type StoredResponse, UsageWriter } from '@app/storage';
import { CancelFlags } from '../engine/cancel-flags';
import { CancelledError } from '../engine/cancelled.error';
import { ResponsePersistence } from '../engine/response-persistence';
import { ResponseStore } from '../engine/response-store';
import { TranslatedRunner } from '../engine/translated-runner';
import { settleResponse } from '../translate/response-object';
import { readResponseRequest } from '../translate/response-request';
import { type JsonObject, TERMINAL_STATUSES } from '../translate/response-types';
import { type BackgroundRun, backgroundUsageRecord, observeBackgroundRun } from './background-usage';

/** How often a running response refreshes its row, proving its worker is alive. */
export const HEARTBEAT_MS = 10_000;

/**
 * Executes one queued background response: claims it (queued → in_progress), runs it through the
 * translated path (failing over along the model's route plan) with an abort signal tied to its
 * cancel flag, and stores the outcome unless a cancel got there first. Usage and metrics are
 * recorded as for a foreground request, and the run's true cost is charged to the budgets of the
 * key and user path that queued it (the queued answer released its reservation).
 */
@Injectable()
export class BackgroundResponseRun {
  private readonly logger = new Logger(BackgroundResponseRun.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ResponseStore,
    private readonly runner: TranslatedRunner,
    private readonly cancelFlags: CancelFlags,
    private readonly persistence: ResponsePersistence,
    private readonly usageWriter: UsageWriter,
    private readonly metrics: GatewayMetrics,
    private readonly pricing: PricingService,
    // Absent where no BudgetsModule is loaded (unit tests); the gateway and the worker load it.
    @Optional() private readonly budgets?: BudgetsService,
  ) {}

  async execute(responseId: string): Promise<{ status: string }> {
    const row = await this.store.find(responseId);
    if (!row || TERMINAL_STATUSES.has(row.status)) return { status: row?.status ?? 'missing' };
    if (await this.cancelFlags.isRequested(responseId)) {
      await this.store.transition(responseId, { ...row.body, status: 'cancelled' }, ['queued', 'in_progress']);
      return { status: 'cancelled' };
    }
    // A redelivered job (its worker died) finds the row in_progress and takes it over.
    const claimed = await this.store.transition(responseId, { ...row.body, status: 'in_progress' }, ['queued', 'in_progress']);
    if (!claimed) return { status: 'skipped' };
    return this.runClaimed(row);
  }

  private async runClaimed(row: StoredResponse): Promise<{ status: string }> {
    const controller = new AbortController();
    const stopWatching = this.cancelFlags.watch(row.id, controller);
    const heartbeat = setInterval(() => void this.store.heartbeat(row.id).catch(() => undefined), HEARTBEAT_MS);
    const deadline = setTimeout(() => controller.abort(new DOMException('The background response exceeded its deadline.', 'TimeoutError')), this.config.upstream.totalTimeoutMs);
    const run = { responseId: row.id, provider: '', model: row.model, keyId: row.keyId, userPath: row.userPath, startedAt: Date.now() };
    try {
      const input = await this.store.inputItems(row.id);
      const fields = readResponseRequest({ ...row.request, input, stream: false });
      // Any target serves a background run through chat completions, so the whole plan fails over.
      const plan = this.runner.router.plan(fields.model);
      const nameTarget = (target: ResolvedTarget) => Object.assign(run, { provider: target.provider.name, model: target.model });
      nameTarget(plan.targets[0]);
      const prepared = await this.runner.prepare({
        body: row.request,
        fields,
        target: plan.targets[0],
        keyId: row.keyId,
        userPath: row.userPath,
        id: row.id,
        createdAt: Number(row.body.created_at),
      });
      const context = { requestId: row.id, signal: controller.signal };
      const { value: result, span } = await this.runner.failover.run(
        plan,
        context,
        (target) => this.runner.runJsonOnce(this.runner.withTarget(prepared, target), context),
        nameTarget,
      );
      endSpan(span);
      this.recordRun({ ...run, status: result.status, usage: result.usage });
      return await this.settle(row, fields.conversationId, input, result.response);
    } catch (error) {
      return this.fail(row, run, controller.signal, error);
    } finally {
      stopWatching();
      clearInterval(heartbeat);
      clearTimeout(deadline);
    }
  }

  private async settle(row: StoredResponse, conversationId: string | undefined, input: JsonObject[], response: JsonObject): Promise<{ status: string }> {
    const stored = await this.store.transition(row.id, response, ['in_progress']);
    // Not stored means a cancel won the race: the response stays cancelled and joins no conversation.
    if (!stored) return { status: 'cancelled' };
    this.persistence.appendToConversation(conversationId, input, response);
    return { status: String(response.status) };
  }

  private async fail(row: StoredResponse, run: Omit<BackgroundRun, 'status'>, signal: AbortSignal, error: unknown): Promise<{ status: string }> {
    if (signal.reason instanceof CancelledError) {
      this.recordRun({ ...run, status: 'error', errorType: 'cancelled' });
      return { status: 'cancelled' };
    }
    const gatewayError = error instanceof GatewayError ? error : undefined;
    if (!gatewayError) this.logger.error({ msg: 'background response failed', responseId: row.id, err: error });
    const message = gatewayError?.message ?? 'The response could not be completed.';
    const failed = settleResponse(row.body, { status: 'failed', output: [], error: { code: gatewayError?.code ?? gatewayError?.kind ?? 'server_error', message } });
    await this.store.transition(row.id, failed, ['in_progress']);
    if (run.provider) this.recordRun({ ...run, status: 'error', errorType: gatewayError?.kind ?? 'internal' });
    return { status: 'failed' };
  }

  private recordRun(run: BackgroundRun): void {
    observeBackgroundRun(this.metrics, run);
    const cost = run.usage && run.provider ? this.pricing.recordCost({ provider: run.provider, model: run.model }, run.usage) : null;
    this.usageWriter.record(backgroundUsageRecord(run, cost));
    if (cost && this.budgets) {
      this.budgets.charge({ keyId: run.keyId, userPath: run.userPath }, cost.total).catch((error: unknown) => {
        this.logger.warn({ msg: 'background response cost could not be charged to its budgets', responseId: run.responseId, err: (error as Error).message });
      });
    }
  }
}
