"""Hugging Face Trainer: a tiny AltCLIP text encoder (``AltCLIPTextConfig``: vocabulary 16,
hidden 32, 2 layers, 2 heads, built from the config, no download) with a mean-pooled linear
head reads 16 drum-beat tokens of a lion dance troupe's drummer (beat strength and cymbal
accents) and names the routine segment the lion is in: sleeping, waking, eating the greens.
The segment is a thresholded sum of per-token effects, 5 % labels wrong. AdamW 3e-3, warm-up 8
steps, batch 32, 5 epochs of 512 phrases, eval every 16 steps; the last checkpoint's
``trainer_state.json`` is the log. Healthy: eval accuracy 0.47, 0.67, 0.80, 0.89, 0.93 (steps 16-80), eval loss 1.024 → 0.407."""
import sys

import torch
import torch.nn as nn
from transformers import AltCLIPTextConfig, AltCLIPTextModel, Trainer, TrainingArguments

V, T = 16, 16
EFFECT = torch.zeros(V)
EFFECT[3:16] = torch.linspace(-1.5, 1.5, 13)


def phrases(n, g, flip=0.0):
    x = torch.randint(3, V, (n, T), generator=g)
    x[:, 0] = 1
    s = EFFECT[x].sum(1)
    y = torch.where(s < -1.5, 0, torch.where(s > 1.5, 2, 1))
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Segment(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.encoder = AltCLIPTextModel(config)
        self.head = nn.Linear(config.hidden_size, 3)

    def forward(self, input_ids, labels=None):
        h = self.encoder(input_ids=input_ids, attention_mask=torch.ones_like(input_ids))
        logits = self.head(h.last_hidden_state.mean(1))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


class Phrases(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = AltCLIPTextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                               num_hidden_layers=2, num_attention_heads=2,
                               max_position_embeddings=40, project_dim=32, pad_token_id=0,
                               type_vocab_size=1)
    return Segment(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = phrases(512, g, flip=0.05)
    xva, yva = phrases(192, g)
    print("class shares", torch.bincount(ytr, minlength=3) / 512)
    args = TrainingArguments(str(out / "segments"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Phrases(xtr, ytr),
                      eval_dataset=Phrases(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "segments").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny AltCLIP text encoder naming a lion dance routine segment from drum-beat"
                " tokens, HF Trainer, 5 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
