"""Hugging Face Trainer: a tiny Jina-embeddings-v3 masked-reading model
(``JinaEmbeddingsV3Config``: vocabulary 24, 48 wide, 2 layers, 4 heads, rotary positions,
built from the config, no download; ``JinaEmbeddingsV3ForMaskedLM``) fills the gaps in a
watermiller's millpond gauge book: 24 readings of the pond level, one every 15 min over a
6-hour grinding session, some missed while the miller was at the hopper. The pond starts
at 0.6-1.4 m; the stream feeds it (inflow 0.2-1.0 of the wheel's full draw, by season)
and the wheel draws it through the sluice by the square root of the head (Torricelli),
at a gate opening of 0.5-1.0 set at the start and changed once (0-100 %) mid-session,
so the level falls, rises or settles towards the head where draw and inflow balance.
Each reading is one token: the level binned into 20 steps of 10 cm from 0 to 2 m (tokens
4-23; 0 pad, 1 start, 2 mask); ± 2 cm gauge reading. 15 % of the readings of each
session are masked (a fixed draw per session, never the start token).
AdamW 1e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 24, 6 epochs of 960
sessions, eval every 40 steps (each epoch) on 240 sessions (masked-reading accuracy and
share within one bin), loss every 10 steps, checkpoint every 40 steps
(``gaugebook/checkpoint-N/`` with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    JinaEmbeddingsV3Config,
    JinaEmbeddingsV3ForMaskedLM,
    Trainer,
    TrainingArguments,
)

T = 24
BINS = 20


def sessions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = 0.6 + 0.8 * r(n)
    inflow = 0.2 + 0.8 * r(n)
    gate0, gate1 = 0.5 + 0.5 * r(n), r(n)
    change = (6 + 12 * r(n)).long()
    levels = torch.empty(n, T)
    for k in range(T):
        levels[:, k] = h
        gate = torch.where(k >= change, gate1, gate0)
        for _ in range(3):  # 5-min steps between readings
            h = (h + 0.12 * (inflow - gate * h.clamp(min=0).sqrt())).clamp(0.0, 1.99)
    levels = levels + 0.02 * torch.randn(n, T, generator=g)
    tok = 4 + (levels / 2 * BINS).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, T) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class GaugeBook(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = JinaEmbeddingsV3Config(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                                    num_attention_heads=4, intermediate_size=96,
                                    max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                                    attention_probs_dropout_prob=0.0, pad_token_id=0,
                                    bos_token_id=1, eos_token_id=3)
    return JinaEmbeddingsV3ForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _fourhundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = sessions(960, g)
    iva, lva = sessions(240, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "gaugebook"), num_train_epochs=6, learning_rate=1e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=GaugeBook(itr, ltr),
                      eval_dataset=GaugeBook(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gaugebook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Jina-embeddings-v3 masked-reading model filling gaps in a watermill's"
                " millpond gauge book, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
