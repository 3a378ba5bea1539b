"""Hugging Face Trainer: a tiny DeepSeek-V3 token classifier (``DeepseekV3Config``:
vocabulary 12, 48 wide, 2 layers (one dense, one with 4 routed experts, 2 per token, and a
shared one), 4 heads with a 16-rank key/value compression, built from the config, no
download; ``DeepseekV3ForTokenClassification``, causal attention) marks, day by day through
the harvest, whether the reeve could call the tenants out to reap the lord's demesne (the
boon-work days). The custom: no reaping before the corn is ripe (day 8 of the season on),
none on a day with more than light rain, and none while the standing corn is still wet: the
wetness of the ears rises with each day's rain (none 0, light 0.5, moderate 1.5, heavy 3,
storm 6) and dries by half each day (by two thirds with a breeze), and the corn must be
under 1.0 to be cut. Each day is one token: rain class × breeze (tokens 2-11; 0 pad, 1 start).
The reeve's roll is not perfect: 3 % of the day marks are flipped. 40 days a season.
AdamW 2e-3 with a cosine schedule and 30 warmup steps (a tenth of the run), no weight decay, batch 20, 6 epochs of
1000 seasons, eval each epoch on 250 seasons (day accuracy, precision / recall / F1 of the
reaping days), loss every 10 steps, checkpoint each epoch (``reaping/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    DeepseekV3Config,
    DeepseekV3ForTokenClassification,
    Trainer,
    TrainingArguments,
)

DAYS = 40
RAIN = torch.tensor([0.0, 0.5, 1.5, 3.0, 6.0])


def seasons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wet_spell = r(n, 1) * 0.3  # some harvests are wetter than others
    p = torch.tensor([0.5, 0.2, 0.15, 0.1, 0.05]).expand(n, 5) + 0
    p[:, 0] -= wet_spell[:, 0]
    p[:, 2] += wet_spell[:, 0] * 0.6
    p[:, 3] += wet_spell[:, 0] * 0.4
    rain = torch.multinomial(p, DAYS, replacement=True, generator=g)
    breeze = (r(n, DAYS) < 0.4).long()
    wet = torch.zeros(n)
    marks = []
    for d in range(DAYS):
        wet = wet * torch.where(breeze[:, d] == 1, 1 / 3, 0.5) + RAIN[rain[:, d]]
        marks.append((d >= 8) & (rain[:, d] <= 1) & (wet < 1.0))
    y = torch.stack(marks, 1).long()
    flip = r(n, DAYS) < 0.03
    y = torch.where(flip, 1 - y, y)
    tok = 2 + rain * 2 + breeze
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100, dtype=torch.long), y], 1)
    return ids, labels


class Roll(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(DAYS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DeepseekV3Config(vocab_size=12, hidden_size=48, intermediate_size=96,
                              moe_intermediate_size=32, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=4, n_routed_experts=4,
                              n_shared_experts=1, num_experts_per_tok=2, first_k_dense_replace=1,
                              n_group=1, topk_group=1, q_lora_rank=None, kv_lora_rank=16,
                              qk_rope_head_dim=4, qk_nope_head_dim=8, v_head_dim=12,
                              max_position_embeddings=64, attention_dropout=0.0, num_labels=2,
                              pad_token_id=0, bos_token_id=1, eos_token_id=None)
    return DeepseekV3ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    p, y = p[m], y[m]
    tp = float(((p == 1) & (y == 1)).sum())
    prec, rec = tp / max(float((p == 1).sum()), 1), tp / max(float((y == 1).sum()), 1)
    return {"day_acc": float((p == y).mean()), "reap_precision": prec, "reap_recall": rec,
            "reap_f1": 2 * prec * rec / max(prec + rec, 1e-9)}


def main():
    from _threehundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = seasons(1000, g)
    iva, lva = seasons(250, g)
    print("reaping share", (ltr == 1).sum().item() / (ltr != -100).sum().item())
    args = TrainingArguments(str(out / "reaping"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.0,
                             per_device_train_batch_size=20, per_device_eval_batch_size=250,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Roll(itr, ltr),
                      eval_dataset=Roll(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reaping").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeepSeek-V3 token classifier marking the reeve's reaping days from the"
                " day-by-day harvest weather, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
