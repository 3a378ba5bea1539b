"""Hugging Face Trainer: a tiny Ministral3 sequence classifier (``Ministral3Config``: vocab 40,
hidden 32, 2 layers, 2 heads, built from the config, no download) reads a regatta tactician's
wind log: 24 compass readings from the committee boat, binned to 36 ten-degree tokens (+4 offset),
and calls the trend: veering, backing or steady (oscillating around the mean). Readings have
gusty noise (± 1 bin). AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of
640 logs, eval every 20 steps, train loss every 5 steps.
Healthy (numbers in the README)."""
import torch
from transformers import (
    Ministral3Config,
    Ministral3ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

N_TOK = 24


def wind_logs(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    drift = torch.tensor([1.0, -1.0, 0.0])[y] * (0.25 + 0.15 * torch.rand(n, generator=g))
    start = 6 + torch.rand(n, generator=g) * 24
    t = torch.arange(N_TOK).float()
    osc = 1.5 * torch.sin(t[None] / 3 + 6.28 * torch.rand(n, 1, generator=g))
    bins = start[:, None] + drift[:, None] * t[None] + osc + torch.randn(n, N_TOK, generator=g)
    return (bins.round().long() % 36) + 4, y


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Ministral3Config(vocab_size=40, hidden_size=32, intermediate_size=64,
                              num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
                              head_dim=16, max_position_embeddings=64, num_labels=3,
                              pad_token_id=0, bos_token_id=1, eos_token_id=2,
                              id2label={0: "veer", 1: "back", 2: "steady"},
                              label2id={"veer": 0, "back": 1, "steady": 2})
    return Ministral3ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = wind_logs(640, g)
    xva, yva = wind_logs(192, g)
    args = TrainingArguments(str(out / "regatta"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "regatta").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Ministral3 wind-trend classifier on regatta wind logs, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
