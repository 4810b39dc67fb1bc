// Microphone capture on the audio thread: hands the page the samples in pieces of 100 ms
// (1,600 samples at the 16 kHz the page's AudioContext runs at). The node is created with one
// channel, so the browser mixes stereo input down before it reaches this processor.
class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.round(sampleRate / 10);
    this.piece = new Float32Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        this.piece[this.filled++] = channel[i];
        if (this.filled === this.size) {
          this.port.postMessage(this.piece, [this.piece.buffer]);
          this.piece = new Float32Array(this.size);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor("zorgvuldig-capture", Capture);
