export * from './lib/comfyui';
