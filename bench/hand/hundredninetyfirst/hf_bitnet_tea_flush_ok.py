"""Hugging Face Trainer: a tiny BitNet decoder (``BitNetConfig``: vocabulary 24, hidden 32,
2 layers, 2 heads, 1 KV head, built from the config, no download) under a mean-pool + linear
head tells which flush a tea-plantation picking log belongs to (first flush, second flush,
monsoon). A log is 16 event tokens from the estate's field app (plucking round, rain, mist,
pruning, frost check, shade tree lopping, ...); the flush shows as an ordered pattern of three
events (e.g. frost check → bud break → two-leaf-and-bud plucking) at a random position among
filler events, plus 5 % wrong labels. The model returns ``{"loss", "logits"}`` so the Trainer
uses it as it is. AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 640
logs, eval every 20 steps, loss every 5 steps.
Healthy: eval accuracy 0.92, 0.91, 0.99, 0.99, 0.99, 0.995 at steps 20–120, eval loss
0.34 → 0.12; the train loss stays at 0.25–0.32 at the end, above the eval loss (the 5 % wrong
labels)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import BitNetConfig, BitNetModel, Trainer, TrainingArguments

V, T = 24, 16
FILLER = list(range(3, 12))
PATTERNS = {0: [12, 13, 14], 1: [12, 15, 16], 2: [17, 13, 18]}


def picking_logs(n, g, flip=0.0):
    x = torch.tensor(FILLER)[torch.randint(0, len(FILLER), (n, T), generator=g)]
    y = torch.randint(0, 3, (n,), generator=g)
    pos = torch.randint(1, T - 3, (n,), generator=g)
    for i in range(n):
        x[i, pos[i]:pos[i] + 3] = torch.tensor(PATTERNS[int(y[i])])
        if torch.rand(1, generator=g) < 0.5:  # a stray plucking round elsewhere
            j = int(torch.randint(1, T, (1,), generator=g))
            if j < pos[i] - 1 or j > pos[i] + 3:
                x[i, j] = 12
    x[:, 0] = 1  # "season start" token
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


class FlushClassifier(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.body = BitNetModel(config)
        self.head = nn.Linear(config.hidden_size, 3)

    def forward(self, input_ids, labels=None):
        h = self.body(input_ids=input_ids).last_hidden_state.mean(1)
        logits = self.head(h)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = F.cross_entropy(logits, labels)
        return out


def build():
    torch.manual_seed(0)
    config = BitNetConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                          num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                          max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                          eos_token_id=2)
    return FlushClassifier(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = picking_logs(640, g, flip=0.05)
    xva, yva = picking_logs(192, g)
    args = TrainingArguments(str(out / "tea"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tea").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BitNet tea-flush classifier on plantation picking logs, HF Trainer, 5 % noisy"
                " labels (healthy)")


if __name__ == "__main__":
    main()
