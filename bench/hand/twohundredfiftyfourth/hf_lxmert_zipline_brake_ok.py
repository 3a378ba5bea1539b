"""Hugging Face Trainer: a tiny LXMERT (``LxmertConfig``: vocabulary 16, hidden 32, 4 heads,
1 language / 1 cross-modal / 1 object layer, visual feature dim 5, 3 answer labels, built from
the config, no download) picks the brake block a zipline guide sets before a send: light,
medium or full. The "language" side is the guide's 10-token dispatch card (rider weight band,
trolley model, wind call, posture: tuck or star); the "visual" side is 6 cable-span segments,
each with 5 features (slope, sag, tension, wet/dry, wear) and its position box along the line
(start, end, height in, height out). Label: the arrival-energy score (weight band + tuck +
tailwind - headwind + summed slope of the spans - wet spans) cut into thirds, so both streams
matter. AdamW 3e-3, cosine decay with 20 warm-up steps, batch 48, 10 epochs of 960 sends, eval
every 20 steps on 240 sends (accuracy), loss every 5 steps.
Healthy: numbers in the README."""
import torch
from transformers import LxmertConfig, LxmertForQuestionAnswering, Trainer, TrainingArguments

L_TOK, N_SPAN, D_VIS = 10, 6, 5
CLS, SEP = 1, 2  # 3..6 weight band, 7..9 trolley, 10..12 head/none/tail wind, 13 tuck, 14 star


def sends(n, g):
    weight = torch.randint(0, 4, (n,), generator=g)
    trolley = torch.randint(0, 3, (n,), generator=g)
    wind = torch.randint(0, 3, (n,), generator=g)
    tuck = torch.randint(0, 2, (n,), generator=g)
    filler = torch.full((n, 4), 15)
    ids = torch.stack([torch.full((n,), CLS), 3 + weight, 7 + trolley, 10 + wind, 14 - tuck],
                      1)
    ids = torch.cat([ids, filler, torch.full((n, 1), SEP)], 1)
    feats = torch.randn(n, N_SPAN, D_VIS, generator=g)
    wet = (feats[:, :, 3] > 0.8).float()
    edges = torch.linspace(0, 1, N_SPAN + 1)
    h = torch.cumsum(-0.1 - 0.05 * feats[:, :, 0], 1)
    pos = torch.stack([edges[:-1].expand(n, -1), edges[1:].expand(n, -1),
                       torch.cat([torch.zeros(n, 1), h[:, :-1]], 1), h], -1)
    score = (weight.float() + 1.2 * tuck + 1.0 * (wind.float() - 1) + 0.8 * feats[:, :, 0].sum(1)
             - 0.8 * wet.sum(1) + 0.3 * (trolley == 2).float())
    cuts = torch.tensor([0.9, 2.6])
    return ids, feats, pos, torch.bucketize(score, cuts)


class Sends(torch.utils.data.Dataset):
    def __init__(self, ids, feats, pos, y):
        self.ids, self.feats, self.pos, self.y = ids, feats, pos, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_TOK, dtype=torch.long),
                "visual_feats": self.feats[i], "visual_pos": self.pos[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LxmertConfig(vocab_size=16, hidden_size=32, num_attention_heads=4,
                          intermediate_size=64, l_layers=1, x_layers=1, r_layers=1,
                          visual_feat_dim=D_VIS, visual_pos_dim=4, num_qa_labels=3,
                          max_position_embeddings=16, task_matched=False, task_mask_lm=False,
                          task_obj_predict=False, task_qa=True)
    return LxmertForQuestionAnswering(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ftr, ptr, ytr = sends(960, g)
    iva, fva, pva, yva = sends(240, g)
    print("brake shares", (torch.bincount(ytr, minlength=3) / len(ytr)).tolist())
    args = TrainingArguments(str(out / "brake"), num_train_epochs=10, learning_rate=3e-3,
                             weight_decay=0.01, lr_scheduler_type="cosine", warmup_steps=20,
                             per_device_train_batch_size=48, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Sends(itr, ftr, ptr, ytr),
                      eval_dataset=Sends(iva, fva, pva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "brake").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "visual_feats": fva[:64], "visual_pos": pva[:64],
                           "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LXMERT choosing a zipline brake block from dispatch-card tokens and"
                " cable-span features, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
