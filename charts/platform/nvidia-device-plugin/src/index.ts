export * from './lib/nvidia-device-plugin';
