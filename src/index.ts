import * as core from '@actions/core';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import * as github from '@actions/github';
core.info(`hi ${typeof LambdaClient} ${typeof CloudWatchClient} ${github.context.runId}`);
