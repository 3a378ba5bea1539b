"""Hugging Face Trainer: a tiny HuBERT (``HubertForSequenceClassification`` from a
``HubertConfig``, built from the config, no download: a 3-layer conv feature extractor with 32
channels, kernels 40·8·4 and strides 8·4·4, hidden 32, 2 transformer layers, 2 heads, mean
pooling) tells 3 kinds of synthetic 1-second household sounds at 8 kHz apart: a whistle (a tone
gliding up or down between 600 and 1800 Hz), knocking (3–6 short decaying 300 Hz bursts) and a
mains hum (120 Hz with harmonics, steady). Random onset, length and loudness, white noise at a
random level; each clip normalised to zero mean and unit variance; 4 % wrong labels. AdamW
1e-3, weight decay 0.01, 15 warm-up steps then linear decay, batch 16, 5 epochs, eval every 25
steps, train loss logged every 5 steps.
Healthy: eval accuracy at the label-noise ceiling, a noisy train loss, the eval loss flat."""
import math

import torch
from transformers import HubertConfig, HubertForSequenceClassification, Trainer, TrainingArguments

RATE, KINDS = 8000, ("whistle", "knock", "hum")


def sounds(n, g):
    t = torch.arange(RATE) / RATE
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.zeros(n, RATE)
    for i in range(n):
        u = torch.rand(4, generator=g)
        on, dur = 0.6 * float(u[0]), 0.25 + 0.15 * float(u[1])
        env = ((t >= on) & (t < on + dur)).float()
        if y[i] == 0:
            f0, f1 = (600.0, 1800.0) if u[2] < 0.5 else (1800.0, 600.0)
            phase = 2 * math.pi * (f0 * (t - on) + (f1 - f0) * (t - on) ** 2 / (2 * dur))
            x[i] = env * torch.sin(phase)
        elif y[i] == 1:
            for k in range(3 + int(4 * float(u[2]))):
                tk = on + 0.08 * k
                x[i] += ((t >= tk).float() * torch.exp(-(t - tk).clamp(min=0) / 0.01)
                         * torch.sin(2 * math.pi * 300 * t))
        else:
            x[i] = env * sum(torch.sin(2 * math.pi * 120 * h * t) / h for h in (1, 2, 3))
        x[i] *= 0.5 + float(u[3])
    x += (0.1 + 0.4 * torch.rand(n, 1, generator=g)) * torch.randn(n, RATE, generator=g)
    x = (x - x.mean(1, keepdim=True)) / (x.std(1, keepdim=True) + 1e-7)
    wrong = torch.rand(n, generator=g) < 0.04
    return x, torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)


class Clips(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = HubertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                          intermediate_size=64, conv_dim=(32, 32, 32), conv_stride=(8, 4, 4),
                          conv_kernel=(40, 8, 4), num_conv_pos_embeddings=16,
                          num_conv_pos_embedding_groups=4, classifier_proj_size=32,
                          num_labels=len(KINDS), vocab_size=8, mask_time_prob=0.0)
    return HubertForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = sounds(720, g)
    train, val = Clips(x[:600], y[:600]), Clips(x[600:], y[600:])
    args = TrainingArguments(str(out / "sounds"), num_train_epochs=5, learning_rate=1e-3,
                             weight_decay=0.01, warmup_steps=15, lr_scheduler_type="linear",
                             per_device_train_batch_size=16, per_device_eval_batch_size=120,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "sounds").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": x[600:664], "targets": y[600:664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny HuBERT household-sound classifier, HF Trainer, 4 % label noise (healthy)")


if __name__ == "__main__":
    main()
