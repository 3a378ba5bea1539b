"""Hugging Face Trainer: a tiny Qwen2-VL text decoder (``Qwen2VLTextConfig``: vocabulary 16,
hidden 32, 2 layers, 2 heads, 1 KV head, built from the config, no download) with a mean-pooled
linear head reads a ski jump attempt as 16 phase tokens (in-run crouch, takeoff timing, flight
posture, each in a few grades) and predicts the landing: fall, two-foot, telemark. The outcome is
a thresholded sum of per-token effects, 5 % labels wrong. AdamW 3e-3, warm-up 8 steps, batch 32,
5 epochs of 512 attempts, eval every 16 steps; the last checkpoint's ``trainer_state.json`` is the log.
Healthy: eval accuracy 0.69, 0.67, 0.78, 0.75, 0.76 (steps 16-80), eval loss 0.73 → 0.58."""
import sys

import torch
import torch.nn as nn
from transformers import Qwen2VLTextConfig, Qwen2VLTextModel, Trainer, TrainingArguments

V, T = 16, 16
EFFECT = torch.zeros(V)
EFFECT[3:16] = torch.linspace(-1.5, 1.5, 13)


def attempts(n, g, flip=0.0):
    x = torch.randint(3, V, (n, T), generator=g)
    x[:, 0] = 1
    s = EFFECT[x].sum(1)
    y = torch.where(s < -1.5, 0, torch.where(s > 1.5, 2, 1))
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Landing(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.decoder = Qwen2VLTextModel(config)
        self.head = nn.Linear(config.hidden_size, 3)

    def forward(self, input_ids, labels=None):
        logits = self.head(self.decoder(input_ids=input_ids).last_hidden_state.mean(1))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


class Attempts(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Qwen2VLTextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                               num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                               max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                               eos_token_id=2,
                               rope_parameters={"rope_type": "default", "rope_theta": 10000.0,
                                                "mrope_section": [2, 3, 3]})
    return Landing(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = attempts(512, g, flip=0.05)
    xva, yva = attempts(192, g)
    print("class shares", torch.bincount(ytr, minlength=3) / 512)
    args = TrainingArguments(str(out / "landing"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Attempts(xtr, ytr),
                      eval_dataset=Attempts(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "landing").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen2-VL text decoder classifying a ski jump landing from phase tokens, HF"
                " Trainer, 5 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
