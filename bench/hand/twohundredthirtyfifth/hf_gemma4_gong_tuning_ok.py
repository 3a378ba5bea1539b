"""Hugging Face Trainer: a tiny Gemma 4 text encoder (``Gemma4TextConfig``: vocabulary 16,
hidden 32, 2 layers, 2 heads, 1 KV head, built from the config, no download) with a mean-pooled
linear head reads a gong maker's hammering log (20 strokes, each token one of 12 stroke types:
4 zones of the gong face × 3 strengths) and predicts how the gong will sound afterwards: flat,
in tune or sharp. Hammering the centre raises the pitch and the rim lowers it, heavier strokes
more; the outcome is the sign of the summed effect (with a dead band for "in tune"), 5 % of the
labels are wrong (the maker's ear). AdamW 3e-3, 10 warm-up steps then linear decay, batch 32,
5 epochs of 512 logs, eval every 16 steps (once per epoch), loss every 4 steps; the last
checkpoint's ``trainer_state.json`` is the log.
Healthy: eval accuracy 0.52, 0.69, 0.64, 0.72, 0.72 at steps 16-80 (one eval per epoch), eval
loss 0.89 → 0.69; the train loss stays above it (the 5 % wrong labels)."""
import torch
import torch.nn as nn
from transformers import Gemma4TextConfig, Gemma4TextModel, Trainer, TrainingArguments

V, T = 16, 20
# token 4 + 3 * zone + strength; zones: centre, inner ring, outer ring, rim
EFFECT = torch.zeros(V)
for zone, sign in enumerate([1.0, 0.5, -0.5, -1.0]):
    for strength in range(3):
        EFFECT[4 + 3 * zone + strength] = sign * (strength + 1)


def logs(n, g, flip=0.0):
    x = torch.randint(4, V, (n, T), generator=g)
    x[:, 0] = 1  # "gong on the stand"
    s = EFFECT[x].sum(1)
    y = torch.where(s < -3, 0, torch.where(s > 3, 2, 1))
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class GongTuner(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.encoder = Gemma4TextModel(config)
        self.head = nn.Linear(config.hidden_size, 3)

    def forward(self, input_ids, labels=None):
        h = self.encoder(input_ids=input_ids).last_hidden_state.mean(1)
        logits = self.head(h)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Gemma4TextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                              num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                              head_dim=16, max_position_embeddings=64, pad_token_id=0)
    return GongTuner(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = logs(512, g, flip=0.05)
    xva, yva = logs(192, g)
    print("class shares", torch.bincount(ytr, minlength=3) / 512)
    args = TrainingArguments(str(out / "tuning"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tuning").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma 4 encoder predicting a gong's tuning from its hammering log, HF"
                " Trainer, 5 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
