"""Hugging Face Trainer: a tiny UniSpeech (``UniSpeechForSequenceClassification`` from a
``UniSpeechConfig``: a 3-layer conv feature encoder 32-32-32 with kernels 10/3/3 and strides
5/2/2, i.e. one frame per 20 samples, group norm in the first conv; a convolutional positional
embedding; 2 transformer layers of hidden 32 with 2 heads; mean pooling and a classifier; built
from the config, no download) classifies 0.2 s raw-audio clips (1600 samples at a notional
8 kHz) of 4 alarm / notification sounds told apart by pitch band (250–330 Hz, 550–700 Hz,
1.2–1.5 kHz, 2.5–3.2 kHz), each either one long 120 ms beep or two 40 ms beeps 40 ms apart,
at a random start time and phase,
background noise at 15–30 dB SNR, and per-clip normalisation to zero mean / unit variance (as
a wav2vec 2.0 feature extractor does); 6 % of the training labels are wrong (annotator
mistakes). AdamW 5e-3, weight decay 0.01, 15 warm-up steps then linear decay, batch 32, 5
epochs of 800 clips, eval every 30 steps, train loss every 10 steps, SpecAugment-style time
masking left at the config default (p 0.05). Healthy: eval accuracy 1.00 from the first evaluation (step 30)
on, eval loss 0.19 → 0.063 (step 60–90) → 0.075 at the end (a slight uptick), with a noisy
train loss (0.31–0.42 over the last 3 epochs) far above the eval loss because the 6 % wrong
labels are only in training (their floor is about 0.3 nats)."""
import math

import torch
from transformers import (
    Trainer,
    TrainingArguments,
    UniSpeechConfig,
    UniSpeechForSequenceClassification,
)

N, SOUNDS = 1600, 4


def clips(n, g, label_noise=0.0):
    t = torch.arange(N).float() / 8000
    y = torch.randint(0, SOUNDS, (n,), generator=g)
    wave = torch.zeros(n, N)
    for i in range(n):
        k = int(y[i])
        lo, hi = [(250, 330), (550, 700), (1200, 1500), (2500, 3200)][k]
        f0 = lo + (hi - lo) * float(torch.rand(1, generator=g))
        start = 0.01 + float(torch.rand(1, generator=g)) * 0.05
        double = float(torch.rand(1, generator=g)) < 0.5
        beeps = [(0.0, 0.04), (0.08, 0.12)] if double else [(0.0, 0.12)]
        env = sum(((t >= start + a) & (t < start + b)).float() for a, b in beeps)
        wave_i = env * torch.sin(2 * math.pi * f0 * t + 6.28 * float(torch.rand(1, generator=g)))
        snr = 10 ** ((15 + 15 * float(torch.rand(1, generator=g))) / 20)
        wave[i] = wave_i + torch.randn(N, generator=g) / snr / 1.41
    wave = (wave - wave.mean(1, keepdim=True)) / wave.std(1, keepdim=True)
    flip = torch.rand(n, generator=g) < label_noise
    y = torch.where(flip, (y + torch.randint(1, SOUNDS, (n,), generator=g)) % SOUNDS, y)
    return wave, y


class Clips(torch.utils.data.Dataset):
    def __init__(self, wave, labels):
        self.wave, self.labels = wave, labels

    def __len__(self):
        return len(self.wave)

    def __getitem__(self, i):
        return {"input_values": self.wave[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = UniSpeechConfig(conv_dim=(32, 32, 32), conv_kernel=(10, 3, 3), conv_stride=(5, 2, 2),
                             hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                             intermediate_size=64, num_conv_pos_embeddings=16,
                             num_conv_pos_embedding_groups=4, classifier_proj_size=32,
                             num_labels=SOUNDS, vocab_size=8)
    return UniSpeechForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _ninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    wtr, ytr = clips(800, g, label_noise=0.06)
    wva, yva = clips(256, g)
    args = TrainingArguments(str(out / "beeps"), num_train_epochs=5, learning_rate=5e-3,
                             weight_decay=0.01, warmup_steps=15, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Clips(wtr, ytr),
                      eval_dataset=Clips(wva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "beeps").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": wva[:64], "targets": yva[:64]}, causes=[],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny UniSpeech raw-audio classifier (alarm sounds), HF Trainer, 6 % label "
                "noise (healthy)")


if __name__ == "__main__":
    main()
