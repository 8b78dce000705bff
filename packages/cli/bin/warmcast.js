#!/usr/bin/env node
// The warmcast CLI. Sources are TypeScript run through tsx, so `npx warmcast` works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
