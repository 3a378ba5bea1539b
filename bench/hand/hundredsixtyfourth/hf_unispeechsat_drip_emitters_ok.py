"""Hugging Face Trainer: a tiny UniSpeech-SAT audio classifier (``UniSpeechSatConfig``: conv
feature encoder 16-16-16 channels, strides 5·4·4 → 80× down-sampling, hidden 32, 2 layers, 2
heads, mean pooling, built from the config, no pre-training, no download) tells from a contact
microphone on a drip line whether an emitter is ``flowing`` (low "plop" drips every 180–260 samples),
``clogged`` (no drips; 30 % of the clips one faint click) or ``leaking`` (continuous high-pitched hiss, no
clicks). 0.2 s clips at 8 kHz (1600 samples), pump hum (50–120 Hz) and white noise on every
clip; 6 % of the training labels are wrong (the field sheet mixed rows). AdamW 3e-3, weight
decay 0.01, 10 warm-up steps then linear decay, batch 32, 10 epochs of 480 clips; eval every
15 steps, train loss every 5 steps. Healthy, after a slow start: eval accuracy 0.61 at step 15
(the hiss class first), 0.75, 0.94, 1.00 from step 60, 0.98 at the end (step 150); eval loss
0.073 well below the train loss (~0.19: the wrong labels only sit in training)."""
import math

import torch
from transformers import (
    Trainer,
    TrainingArguments,
    UniSpeechSatConfig,
    UniSpeechSatForSequenceClassification,
)

N = 1600
LABELS = ["flowing", "clogged", "leaking"]


def clips(n, g, flip=0.0):
    t = torch.arange(N).float() / 8000
    y = torch.randint(0, 3, (n,), generator=g)
    hum = 0.3 * torch.sin(2 * math.pi * (50 + 70 * torch.rand(n, 1, generator=g)) * t
                          + 6.28 * torch.rand(n, 1, generator=g))
    x = hum + 0.15 * torch.randn(n, N, generator=g)
    click = torch.exp(-torch.arange(40).float() / 12) * torch.sin(torch.arange(40).float() * 0.4)
    for i in range(n):
        if y[i] == 0:
            period = int(torch.randint(180, 260, (1,), generator=g))
            start = int(torch.randint(0, period, (1,), generator=g))
            for s in range(start, N - 40, period):
                x[i, s:s + 40] += 2.5 * click
        elif y[i] == 1:
            if torch.rand(1, generator=g) < 0.3:  # now and then one faint drip
                s = int(torch.randint(0, N - 40, (1,), generator=g))
                x[i, s:s + 40] += 0.3 * click
        else:
            hiss = torch.randn(N, generator=g)
            x[i] += 0.35 * (hiss - torch.roll(hiss, 1))  # high-pass: a hiss
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    x = (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True)
    return x, y


class Clips(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = UniSpeechSatConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                intermediate_size=64, conv_dim=(16, 16, 16),
                                conv_stride=(5, 4, 4), conv_kernel=(10, 8, 8),
                                num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4,
                                mask_time_prob=0.0, classifier_proj_size=16, num_labels=3,
                                id2label=dict(enumerate(LABELS)),
                                label2id={k: i for i, k in enumerate(LABELS)})
    return UniSpeechSatForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(480, g, flip=0.06)
    xva, yva = clips(192, g)
    args = TrainingArguments(str(out / "emitters"), num_train_epochs=10, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=75, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Clips(xtr, ytr),
                      eval_dataset=Clips(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "emitters").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny UniSpeech-SAT drip-emitter sound classifier, HF Trainer, 6 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
