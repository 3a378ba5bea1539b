"""Hugging Face Trainer: a tiny StarCoder2 token classifier (``Starcoder2Config``: vocabulary
16, hidden 48, 2 layers, 4 heads, 2 key/value heads, rotary, built from the config, no
download; ``Starcoder2ForTokenClassification``, causal) reads an observation borehole's
daily record in a sandstone aquifer, one token a day, and marks the days on which
the water level sat below the drought-alert level. Each day is one token: 4 rain bands (dry,
light, moderate, heavy) × the nearby public-supply borehole pumping or resting, tokens 2-9.
The level falls while the supply borehole pumps and recovers with rest and rain, so a day is
on alert when the pump ran on 4 or more of the last 6 days with no heavy rain in the last 3,
or on 3 pumping days in a row with no rain at all. Records of 40 days; weather and the
pumping schedule come in spells (sticky Markov chains).
AdamW 2e-3, linear schedule with 10 warmup steps, batch 32, 3 epochs of 1200 records, eval
every 25 steps on 256 records (token accuracy, share of alert days found), loss every 5
steps, checkpoint every 25 steps (``wellrecords/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Starcoder2Config,
    Starcoder2ForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 40


def records(n, g):
    rain = torch.zeros(n, T, dtype=torch.long)
    pump = torch.zeros(n, T, dtype=torch.long)
    wet = torch.rand(n, 4, generator=g) * 1.5  # each record's climate
    r_cur = torch.randint(0, 4, (n,), generator=g)
    p_cur = torch.randint(0, 2, (n,), generator=g)
    duty = 0.3 + 0.5 * torch.rand(n, generator=g)
    for k in range(T):
        keep = torch.rand(n, generator=g) < 0.5
        new = torch.multinomial(torch.softmax(wet, 1), 1, generator=g).squeeze(1)
        r_cur = torch.where(keep, r_cur, new)
        flip = torch.rand(n, generator=g) < 0.3
        p_cur = torch.where(flip, (torch.rand(n, generator=g) < duty).long(), p_cur)
        rain[:, k], pump[:, k] = r_cur, p_cur
    lab = torch.zeros(n, T, dtype=torch.long)
    for k in range(T):
        lo3 = max(0, k - 2)
        pumped6 = pump[:, max(0, k - 5):k + 1].sum(1)
        heavy3 = (rain[:, lo3:k + 1] == 3).any(1)
        run3 = (pump[:, lo3:k + 1].sum(1) == 3) & (rain[:, lo3:k + 1] == 0).all(1)
        lab[:, k] = (((pumped6 >= 4) & ~heavy3) | run3).long()
    return 2 + rain * 2 + pump, lab


class Records(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Starcoder2Config(vocab_size=16, hidden_size=48, intermediate_size=96,
                              num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                              max_position_embeddings=T, num_labels=2, attention_dropout=0.0,
                              residual_dropout=0.0, embedding_dropout=0.0, pad_token_id=0,
                              bos_token_id=1, eos_token_id=1)
    return Starcoder2ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "alert_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = records(1200, g)
    iva, lva = records(256, g)
    print("alert share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "wellrecords"), num_train_epochs=3, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Records(itr, ltr),
                      eval_dataset=Records(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "wellrecords").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny StarCoder2 token classifier marking the drought-alert days in an aquifer"
                " observation borehole's daily record, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
