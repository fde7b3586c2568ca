#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ElastiCacheChecks } from '../lib';
import { globalReference } from './global-reference-stacks';
import { ReferenceStack } from './reference-stack';
import { SemanticReferenceStack } from './semantic-reference-stack';

const app = new App();
new ReferenceStack(app, 'EctkReference', {
  description: 'cdk-elasticache-toolkit reference deployment: serverless and cluster caches with secure defaults',
});
new SemanticReferenceStack(app, 'EctkSemanticReference', {
  description: 'cdk-elasticache-toolkit reference deployment, semantic caching: a Valkey 8.2 cluster with a declared vector index',
});
// The Global Datastore variant: a primary in us-east-1 and a secondary in eu-west-1, in two stacks.
globalReference(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app));
app.synth();
