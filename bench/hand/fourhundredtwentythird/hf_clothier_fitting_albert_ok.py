"""Hugging Face Trainer: a tiny ALBERT multiple-choice model (``AlbertConfig``: vocabulary 50,
embeddings 32, 48 wide, 2 layers sharing their weights, 4 heads, built from the config, no
download; ``AlbertForMultipleChoice``) picks, for a clothier's made-to-measure customer, which
of four stock jackets on the rail to bring for the first fitting. The customer's card gives
the chest and waist girths (binned in 2 cm steps: 20 chest tokens, 20 waist tokens); each
jacket on the rail is its chest and waist sizes in the same steps. The house rule: the
jacket to bring is cut 4 cm (2 steps) over the chest for ease and 2 cm (1 step) over the
waist; the three other jackets on the rail are near misses (tight in the chest, loose in the
chest, the wrong drop at the waist, and so on: chest off by -1 to +5 steps, waist off by -1
to +3, never the right pair). Each choice is ``[CLS] chest waist [SEP] jacket_chest
jacket_waist [SEP]`` (7 tokens); the right jacket's place on the rail is random.
AdamW 2e-3 with cosine decay and 30 warmup steps, weight decay 0.01, batch 32, 8 epochs of
1600 cards, eval every 50 steps (each epoch) on 400 cards (accuracy), loss every 10 steps,
checkpoint every 50 steps (``fitting/checkpoint-N/`` with ``trainer_state.json``, two
kept).
Healthy; numbers in the README."""
import torch
from transformers import AlbertConfig, AlbertForMultipleChoice, Trainer, TrainingArguments

STEPS = 20
CHEST0, WAIST0 = 3, 3 + STEPS + 5  # token offsets; 0 pad, 1 CLS, 2 SEP


def cards(n, g):
    chest = torch.randint(0, STEPS - 5, (n,), generator=g)
    waist = torch.randint(1, STEPS - 3, (n,), generator=g)
    offs = [(dc, dw) for dc in range(-1, 6) for dw in range(-1, 4) if (dc, dw) != (2, 1)]
    ids, labels = [], []
    for c, w in zip(chest.tolist(), waist.tolist()):  # noqa: B905
        pick = torch.randperm(len(offs), generator=g)[:3].tolist()
        rail = [(2, 1)] + [offs[k] for k in pick]
        order = torch.randperm(4, generator=g).tolist()
        rows = []
        for k in order:
            dc, dw = rail[k]
            rows.append([1, CHEST0 + c, WAIST0 + w, 2, CHEST0 + c + dc, WAIST0 + w + dw, 2])
        ids.append(rows)
        labels.append(order.index(0))
    return torch.tensor(ids), torch.tensor(labels)


class Cards(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "token_type_ids": torch.tensor([0, 0, 0, 0, 1, 1, 1]).expand(4, 7),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = AlbertConfig(vocab_size=WAIST0 + STEPS + 2, embedding_size=32, hidden_size=48,
                          num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                          max_position_embeddings=16, hidden_dropout_prob=0.0,
                          attention_probs_dropout_prob=0.0, classifier_dropout_prob=0.0,
                          pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return AlbertForMultipleChoice(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fourhundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = cards(1600, g)
    iva, yva = cards(400, g)
    print("right jacket's place", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "fitting"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=400,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Cards(itr, ytr),
                      eval_dataset=Cards(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "fitting").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ALBERT multiple-choice model picking the stock jacket a clothier brings"
                " to a made-to-measure fitting, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
