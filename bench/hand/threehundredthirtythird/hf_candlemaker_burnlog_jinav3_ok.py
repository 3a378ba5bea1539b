"""Hugging Face Trainer: a tiny Jina-Embeddings-v3 token tagger (``JinaEmbeddingsV3Config``:
vocabulary 33, 48 wide, 2 layers, 4 heads, rotary positions, built from the config, no
download; ``JinaEmbeddingsV3ForTokenClassification``) tags every reading of a candle maker's
burn-test sheet. A container candle is lit and read every 8 min for 4 h (30 readings): the
melt-pool width as a share of the jar and the flame height. The pool grows as
P(t) = P_max (1 - exp(-t / tau)) (tau 20-60 min; a right-sized wick reaches the jar wall,
P_max 1.0-1.1 capped at 1, an undersized one stops at 0.6-0.9); an oversized wick carbons
up ("mushrooms") and its flame climbs from 1.5-2.5 cm by 0.2-0.6 cm per hour. Each reading
is one token: pool width in 10 bins of 0.1 times flame height in 3 bins (< 2, 2-3, > 3 cm),
tokens 3-32 (0 pad, 1 start, 2 end); reading noise 0.04 of the jar and 0.2 cm.
Tags per reading from the true (noise-free) values, the candle maker's rules: sooting
(flame over 3 cm), else full pool (P ≥ 0.95), else tunneling (P < 0.85 after 90 min), else
growing. The model must smooth the noisy readings through their neighbours.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 5 epochs of
1200 burns, eval each epoch on 300 burns (reading accuracy and tunneling recall), loss every
8 steps, checkpoint each epoch (``burnlog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    JinaEmbeddingsV3Config,
    JinaEmbeddingsV3ForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 30
MIN_PER_READ = 8.0


def burns(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = MIN_PER_READ * (torch.arange(T).float() + 1)
    wick = torch.randint(0, 3, (n, 1), generator=g)  # 0 under, 1 right, 2 oversized
    pmax = torch.where(wick == 0, 0.6 + 0.3 * r(n, 1), 1.0 + 0.1 * r(n, 1))
    tau = 20 + 40 * r(n, 1)
    pool = (pmax * (1 - torch.exp(-t / tau))).clamp(max=1.0)
    climb = torch.where(wick == 2, 0.2 + 0.4 * r(n, 1), 0.05 * r(n, 1))
    flame = 1.5 + r(n, 1) + climb * t / 60
    tag = torch.zeros(n, T, dtype=torch.long)
    tag = torch.where((pool < 0.85) & (t >= 90), torch.full_like(tag, 2), tag)
    tag = torch.where(pool >= 0.95, torch.full_like(tag, 1), tag)
    tag = torch.where(flame > 3.0, torch.full_like(tag, 3), tag)
    pool_read = pool + 0.04 * torch.randn(n, T, generator=g)
    flame_read = flame + 0.2 * torch.randn(n, T, generator=g)
    pb = (pool_read * 10).floor().clamp(0, 9).long()
    fb = (flame_read >= 2).long() + (flame_read > 3).long()
    tok = 3 + pb * 3 + fb
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    labels = torch.cat([torch.full((n, 1), -100), tag, torch.full((n, 1), -100)], 1)
    return ids, labels


class Sheets(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 2, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = JinaEmbeddingsV3Config(vocab_size=33, hidden_size=48, num_hidden_layers=2,
                                    num_attention_heads=4, intermediate_size=96,
                                    max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                                    attention_probs_dropout_prob=0.0, pad_token_id=0,
                                    bos_token_id=1, eos_token_id=2, num_labels=4)
    return JinaEmbeddingsV3ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    tun = y == 2
    return {"reading_acc": float((p[m] == y[m]).mean()),
            "tunnel_recall": float((p[tun] == 2).mean())}


def main():
    from _threehundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = burns(1200, g)
    iva, lva = burns(300, g)
    print("tag shares", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "burnlog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sheets(itr, ltr),
                      eval_dataset=Sheets(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "burnlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Jina-Embeddings-v3 token tagger marking each reading of a candle burn"
                " test as growing / full pool / tunneling / sooting, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
