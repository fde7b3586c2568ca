import { Command } from 'commander';
import { awsClients } from '../ops/aws';
import { alarmsCommand } from './alarms';
import { analyzeCommand } from './analyze';
import { failoverDrillCommand } from './failover-drill';
import { ClientFactory, defaultIo, Io } from './io';
import { runbookCommand } from './runbook';
import { snapshotCommand } from './snapshot';
import { statusCommand } from './status';

/** The on-call commands, each in its own file; tests hand in AWS clients pointed at an emulator and their own Io. */
export function onCallCommands(clients: ClientFactory = awsClients, io: Io = defaultIo()): Command[] {
  return [statusCommand(clients, io), alarmsCommand(clients, io), snapshotCommand(clients, io), failoverDrillCommand(clients, io), analyzeCommand(io), runbookCommand(io)];
}
